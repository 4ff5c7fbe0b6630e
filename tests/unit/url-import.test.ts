import { describe, expect, it } from 'vitest';
import { detectMapping, parseUrlTable, toUrlRows } from '../../src/shared/url-import';

const UNSPLASH_HEADER =
  'photo_id\tphoto_url\tphoto_image_url\tphoto_submitted_at\tphoto_featured\tphoto_width\tphoto_height\tphoto_aspect_ratio\tphoto_description\tphotographer_username\tphotographer_first_name\tphotographer_last_name\texif_camera_make\texif_camera_model\texif_iso\texif_aperture_value\texif_focal_length\texif_exposure_time\tphoto_location_name\tphoto_location_latitude\tphoto_location_longitude\tphoto_location_country\tphoto_location_city\tstats_views\tstats_downloads\tai_description\tai_primary_landmark_name\tai_primary_landmark_latitude\tai_primary_landmark_longitude\tai_primary_landmark_confidence\tblur_hash';

describe('parseUrlTable', () => {
  it("reads the seed's product CSV (BOM, CRLF, quoted names with commas and quotes)", () => {
    const csv = '\ufeffproduct_id,product_name,placeholder_image_url\r\n1,"Wine, red ""Reserva""",https://shop.example/1.jpg\r\n2,Bread,/demo/2.jpg\r\n';
    const t = parseUrlTable(csv, 'products.csv');
    expect(t).toMatchObject({ delimiter: ',', kind: 'product-list', mapping: { url: 'placeholder_image_url', name: 'product_name', id: 'product_id' } });
    expect(t.header).toEqual(['product_id', 'product_name', 'placeholder_image_url']);
    const { rows, errors } = toUrlRows(t, t.mapping!, 'http://app.local/');
    expect(errors).toEqual([]);
    expect(rows[0]).toMatchObject({ line: 2, url: 'https://shop.example/1.jpg', name: 'Wine, red "Reserva"' });
    expect(rows[1].url).toBe('http://app.local/demo/2.jpg');
    expect(rows[1].meta).toEqual({ product_id: '2', product_name: 'Bread', placeholder_image_url: '/demo/2.jpg' });
  });

  it('reads an Unsplash Lite photos.tsv000 part (31 columns) and keeps photographer, camera and location', () => {
    const row = [
      'abc',
      'https://unsplash.com/photos/abc',
      'https://images.unsplash.com/photo-1',
      '2020-01-01',
      't',
      '4000',
      '3000',
      '1.33',
      'a lake',
      'jdoe',
      'Jane',
      'Doe',
      'Canon',
      'EOS R',
      '100',
      '2.8',
      '35',
      '1/200',
      'Lake Bled',
      '46.36',
      '14.09',
      'Slovenia',
      'Bled',
      '10',
      '2',
      'lake with island',
      '',
      '',
      '',
      '',
      'LKO2',
    ];
    const t = parseUrlTable(`${UNSPLASH_HEADER}\n${row.join('\t')}\n`, 'photos.tsv000');
    expect(t.header).toHaveLength(31);
    expect(t).toMatchObject({ delimiter: '\t', kind: 'unsplash', mapping: { url: 'photo_image_url', name: 'photo_description', id: 'photo_id' } });
    const [r] = toUrlRows(t, t.mapping!, 'http://x/').rows;
    expect(r.meta).toMatchObject({
      photographer_username: 'jdoe',
      exif_camera_make: 'Canon',
      photo_location_name: 'Lake Bled',
      photo_location_country: 'Slovenia',
    });
  });

  it('detects the URL column by content when no column name says so', () => {
    expect(
      detectMapping(
        ['a', 'b'],
        [
          ['x', 'https://e/1.png'],
          ['y', 'https://e/2.png'],
        ],
      ),
    ).toEqual({ url: 'b', name: undefined, id: undefined });
    expect(detectMapping(['a', 'b'], [['x', 'y']])).toBeNull();
  });

  it('reports bad rows with their line and keeps going', () => {
    const t = parseUrlTable('id,image_url\n1,\n2,not a url at all\n3,ftp://host/x.jpg\n4,https://ok/x.jpg\n5\n');
    const { rows, errors } = toUrlRows(t, t.mapping!, 'http://app/');
    expect(rows.map((r) => r.line)).toEqual([5]);
    expect(errors).toEqual([
      { line: 2, message: "no URL in column 'image_url'" },
      { line: 3, message: "'not a url at all' is not a URL" },
      { line: 4, message: 'only http(s) URLs can be imported, not ftp:' },
      { line: 6, message: 'row has 1 columns, the header has 2' },
    ]);
  });

  it('refuses a missing column, an empty file and an unbalanced quote with clear messages', () => {
    const t = parseUrlTable('id,image_url\n1,https://x/1.jpg\n');
    expect(() => toUrlRows(t, { url: 'photo_image_url' }, 'http://a/')).toThrow("the URL column 'photo_image_url' is not in the file (columns: id, image_url)");
    expect(() => parseUrlTable('', 'empty.csv')).toThrow('empty.csv is empty: no header row');
    expect(() => parseUrlTable('a,b\n"1,2\n', 'broken.csv')).toThrow('broken.csv could not be read as CSV: CSV ends inside a quoted field');
  });

  it('parses 100,000 rows in well under a few seconds', () => {
    const lines = ['product_id,product_name,placeholder_image_url'];
    for (let i = 0; i < 100_000; i++) lines.push(`${i},"Product ${i}, size ${i % 7}",https://cdn.example/p/${i}.jpg`);
    const t0 = performance.now();
    const t = parseUrlTable(lines.join('\n'));
    const { rows } = toUrlRows(t, t.mapping!, 'http://a/');
    expect(rows).toHaveLength(100_000);
    expect(rows[99_999].name).toBe('Product 99999, size 4');
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});

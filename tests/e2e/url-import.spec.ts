import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures.ts';
import { DATA } from './helpers.ts';

// A local image host (loopback only) with the ways real URLs fail.
let server: Server;
let base = '';
const hits = new Map<string, number>();
test.beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    const cors = { 'Access-Control-Allow-Origin': '*' };
    const image = (f: string) => readFileSync(path.join(DATA, 'imagenet', f));
    if (url.startsWith('/img/')) return void res.writeHead(200, { ...cors, 'Content-Type': 'image/jpeg' }).end(image(url.slice(5)));
    if (url === '/flaky.jpg' && hits.get(url)! < 2) return void res.writeHead(503, cors).end('busy');
    if (url === '/flaky.jpg') return void res.writeHead(200, { ...cors, 'Content-Type': 'image/jpeg' }).end(image('in_dev_0020.jpg'));
    if (url === '/page.html') return void res.writeHead(200, { ...cors, 'Content-Type': 'text/html' }).end('<html>login</html>');
    if (url === '/huge.jpg') return void res.writeHead(200, { ...cors, 'Content-Type': 'image/jpeg', 'Content-Length': String(300 * 1024 * 1024) }).end();
    if (url === '/nocors.jpg') return void res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(image('in_dev_0021.jpg'));
    if (url === '/text.jpg') return void res.writeHead(200, { ...cors, 'Content-Type': 'image/jpeg' }).end('this is not a jpeg');
    res.writeHead(404, cors).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('a product CSV of URLs: downloads with retries, each failing URL with its own error, metadata kept', async ({ app, importPanel, library }) => {
  const csv = [
    'product_id,product_name,placeholder_image_url',
    `A1,"Beer, 6-pack",${base}/img/in_dev_0011.jpg`,
    `A2,Traffic light,${base}/img/in_dev_0023.jpg`,
    `A3,Flaky host,${base}/flaky.jpg`,
    `B1,Gone,${base}/missing.jpg`,
    `B2,Login page,${base}/page.html`,
    `B3,Too big,${base}/huge.jpg`,
    `B4,No CORS,${base}/nocors.jpg`,
    `B5,Text,${base}/text.jpg`,
    'B6,No URL,',
  ].join('\r\n');
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sightline-urls-')), 'products.csv');
  writeFileSync(file, '\ufeff' + csv);

  await app.open(undefined, { model: 'mobilenetv2-12-int8' });
  const urls = importPanel.urls;
  await urls.expand();
  await urls.chooseFile(file);
  await expect(urls.summary).toContainText('products.csv: 9 rows, 3 columns (product catalogue, CSV)');
  await expect(urls.mapping('url')).toHaveValue('placeholder_image_url');
  await urls.startButton.click();
  await importPanel.expectState('done', 90_000);
  await importPanel.expectStatus('3 stored · 5 failed');

  const { images, errors } = await library.exportJson();
  const byFile = Object.fromEntries(errors.map((e) => [e.file, `${e.code}: ${e.message}`]));
  expect(byFile['Gone']).toBe('http-error: HTTP 404 Not Found');
  expect(byFile['Login page']).toBe('not-an-image: the server sent text/html, not an image');
  expect(byFile['Too big']).toMatch(/^file-too-large: the server declares 300 MB; the limit is 50 MB/);
  expect(byFile['No CORS']).toMatch(/^download-failed: network error or CORS refusal .*\(after 3 attempts\)$/);
  expect(byFile['Text']).toBe('not-an-image: this is a text file, not an image');
  expect(byFile['products.csv line 10']).toBe("bad-url: no URL in column 'placeholder_image_url'");
  expect(hits.get('/flaky.jpg')).toBe(2); // one 503, then success on the retry
  const beer = images.find((i) => i.file === 'Beer, 6-pack')!;
  expect(beer.source).toMatchObject({ kind: 'product-list', product: { product_id: 'A1', product_name: 'Beer, 6-pack' } });

  // The errors are exportable, and the seed's product file gets its content tags.
  const products = await library.exportProductList();
  expect(products.split('\r\n')[0]).toBe('product_id,product_name,placeholder_image_url,local_image_path,content_tag');
  expect(products).toMatch(/A1,"Beer, 6-pack",http:\/\/127\.0\.0\.1:\d+\/img\/in_dev_0011\.jpg,"Beer, 6-pack",alcohol/);
});

test('the demo product catalogue imports offline from images the app serves itself', async ({ app, importPanel }) => {
  await app.open(undefined, { model: 'mobilenetv2-12-int8' });
  const urls = importPanel.urls;
  await urls.expand();
  await urls.demoButton.click();
  await expect(urls.summary).toContainText('24 rows');
  await urls.startButton.click();
  await importPanel.expectState('done', 90_000);
  await importPanel.expectStatus('24 stored · 0 failed');
});

test('a malformed CSV gets a clear message; a TSV without a recognisable URL column asks for one', async ({ app, importPanel }) => {
  await app.open();
  const urls = importPanel.urls;
  await urls.expand();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sightline-bad-csv-'));
  writeFileSync(path.join(dir, 'broken.csv'), 'a,b\n"unterminated,1\n');
  await urls.chooseFile(path.join(dir, 'broken.csv'));
  await expect(urls.error).toHaveText('broken.csv could not be read as CSV: CSV ends inside a quoted field (unbalanced quote)');
  writeFileSync(path.join(dir, 'photos.tsv000'), 'photo_id\tcaption\nx1\tlake\n');
  await urls.chooseFile(path.join(dir, 'photos.tsv000'));
  await expect(urls.error).toContainText('choose the URL column');
});

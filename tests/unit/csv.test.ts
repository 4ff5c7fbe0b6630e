import { describe, expect, it } from 'vitest';
import { parseCsvObjects, parseDelimited, toCsv } from '../../src/shared/csv';

describe('parseDelimited', () => {
  it('splits plain rows and fields', () => {
    expect(parseDelimited('a,b,c\n1,2,3')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('keeps empty fields, including leading and trailing ones', () => {
    expect(parseDelimited(',x,,\n')).toEqual([['', 'x', '', '']]);
    expect(parseDelimited('"",""')).toEqual([['', '']]);
  });

  it('reads quoted fields with commas, doubled quotes and newlines', () => {
    expect(parseDelimited('"Smith, John","say ""hi""",plain')).toEqual([['Smith, John', 'say "hi"', 'plain']]);
    expect(parseDelimited('id,text\n1,"line one\nline two"\n2,"a\r\nb"\n')).toEqual([
      ['id', 'text'],
      ['1', 'line one\nline two'],
      ['2', 'a\r\nb'],
    ]);
    expect(parseDelimited('"""quoted"""')).toEqual([['"quoted"']]);
  });

  it('treats a quote inside an unquoted field as a literal character', () => {
    expect(parseDelimited('12" pizza,x')).toEqual([['12" pizza', 'x']]);
  });

  it('handles CRLF, lone CR and a trailing newline without adding a row', () => {
    expect(parseDelimited('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseDelimited('a\rb\r')).toEqual([['a'], ['b']]);
    expect(parseDelimited('a\n')).toEqual([['a']]);
    // a blank line in the middle is a row with one empty field
    expect(parseDelimited('a\n\nb')).toEqual([['a'], [''], ['b']]);
  });

  it('strips a UTF-8 byte-order mark', () => {
    const rows = parseDelimited('\uFEFFname,n\nx,1\n');
    expect(rows[0]).toEqual(['name', 'n']);
    expect(rows[0][0].charCodeAt(0)).toBe(0x6e);
  });

  it('only strips a BOM at the very start', () => {
    expect(parseDelimited('a,\uFEFFb')).toEqual([['a', '\uFEFFb']]);
  });

  it('reads TSV with a tab delimiter (commas are then ordinary characters)', () => {
    expect(parseDelimited('name\tprice\nBread, white\t1.20\n"tab\there"\t2\n', '\t')).toEqual([
      ['name', 'price'],
      ['Bread, white', '1.20'],
      ['tab\there', '2'],
    ]);
  });

  it('returns no rows for empty text', () => {
    expect(parseDelimited('')).toEqual([]);
    expect(parseDelimited('\uFEFF')).toEqual([]);
  });

  it('throws a clear error on an unbalanced quote', () => {
    expect(() => parseDelimited('a,"b\nc,d')).toThrow('CSV ends inside a quoted field (unbalanced quote)');
    expect(() => parseDelimited('"')).toThrow(/unbalanced quote/);
    expect(() => parseDelimited('x,"abc""')).toThrow(/unbalanced quote/);
  });
});

describe('parseCsvObjects', () => {
  it('keys rows by the header and skips blank lines', () => {
    expect(parseCsvObjects('product_id,product_name\n1,"Milk, 1 l"\n\n2,Eggs\r\n')).toEqual([
      { product_id: '1', product_name: 'Milk, 1 l' },
      { product_id: '2', product_name: 'Eggs' },
    ]);
  });

  it('fills missing trailing fields with empty strings and ignores extra ones', () => {
    expect(parseCsvObjects('a,b,c\n1\n1,2,3,4')).toEqual([
      { a: '1', b: '', c: '' },
      { a: '1', b: '2', c: '3' },
    ]);
  });

  it('works with a BOM and with TSV', () => {
    expect(parseCsvObjects('\uFEFFk\tv\nx\t1', '\t')).toEqual([{ k: 'x', v: '1' }]);
  });

  it('returns [] for an empty file or a header only', () => {
    expect(parseCsvObjects('')).toEqual([]);
    expect(parseCsvObjects('a,b\n')).toEqual([]);
  });

  it('propagates the unbalanced-quote error', () => {
    expect(() => parseCsvObjects('a\n"x')).toThrow(/unbalanced quote/);
  });
});

describe('toCsv', () => {
  it('writes CRLF rows with a trailing CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x']])).toBe('a,b\r\n1,x\r\n');
    expect(toCsv(['a'], [])).toBe('a\r\n');
  });

  it('quotes fields with commas, quotes and newlines, doubling inner quotes', () => {
    expect(toCsv(['v'], [['a,b'], ['say "hi"'], ['two\nlines'], ['cr\rhere']])).toBe('v\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n"cr\rhere"\r\n');
  });

  it('writes null and undefined as empty, numbers and booleans as text', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [[null, undefined, 0.5, true]])).toBe('a,b,c,d\r\n,,0.5,true\r\n');
  });

  it('round-trips through parseDelimited', () => {
    const header = ['file_name', 'note', 'n'];
    const rows = [
      ['photo, 1.jpg', 'He said "cheese"', '3'],
      ['multi\nline.png', '', '-3.5'],
      ['plain.jpg', 'tab\tin it', '0'],
      ['"quoted".gif', 'a\r\nb', ''],
    ];
    expect(parseDelimited(toCsv(header, rows))).toEqual([header, ...rows]);
    expect(parseCsvObjects(toCsv(header, rows))[1]).toEqual({ file_name: 'multi\nline.png', note: '', n: '-3.5' });
  });

  describe('formula-injection guard', () => {
    it('prefixes fields starting with =, +, -, @, tab or CR with a quote', () => {
      expect(toCsv(['v'], [['=SUM(A1:A9)']])).toBe("v\r\n'=SUM(A1:A9)\r\n");
      expect(toCsv(['v'], [['=HYPERLINK("http://x","y")']])).toBe('v\r\n"\'=HYPERLINK(""http://x"",""y"")"\r\n');
      expect(toCsv(['v'], [['@cmd']])).toBe("v\r\n'@cmd\r\n");
      expect(toCsv(['v'], [['+cmd']])).toBe("v\r\n'+cmd\r\n");
      expect(toCsv(['v'], [['-cmd']])).toBe("v\r\n'-cmd\r\n");
      expect(toCsv(['v'], [['\tx']])).toBe("v\r\n'\tx\r\n");
      expect(toCsv(['v'], [['\rx']])).toBe('v\r\n"\'\rx"\r\n');
    });

    it('leaves negative numbers and ordinary text alone', () => {
      expect(toCsv(['v'], [['-3.5'], [-3.5], ['-0.25'], ['12'], ['a=b'], ['e-mail']])).toBe('v\r\n-3.5\r\n-3.5\r\n-0.25\r\n12\r\na=b\r\ne-mail\r\n');
    });

    it('the guarded value reads back with its leading quote', () => {
      expect(parseDelimited(toCsv(['v'], [['=1+1']]))).toEqual([['v'], ["'=1+1"]]);
    });
  });
});

describe('toCsv formula guard regressions', () => {
  it('quotes formula-like fields that merely start with a digit after a minus', () => {
    const out = toCsv(['v'], [["-2+3+cmd|' /C calc'!A0"], ['-1+1|cmd'], ['-3.5'], ['-1e5']]);
    const lines = out.trim().split('\r\n').slice(1);
    expect(lines[0].startsWith('"\'-2+3') || lines[0].startsWith("'-2+3")).toBe(true);
    expect(lines[1]).toBe("'-1+1|cmd");
    expect(lines[2]).toBe('-3.5');
    expect(lines[3]).toBe('-1e5');
  });
});

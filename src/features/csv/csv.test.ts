import { describe, expect, test } from 'bun:test';
import { decodeCsvBytes, detectDelimiter, parseCsv, CsvFormatError } from './read';
import { neutralizeFormula, toCsv } from './write';

describe('CSV reading', () => {
  test('UTF-8 with BOM, quoted fields, commas inside quotes', () => {
    const csv = parseCsv(new TextEncoder().encode('\uFEFFName,Phone Number\n"Smith, Ann","(555) 010-2000"\n'));
    expect(csv.headers).toEqual(['name', 'phone_number']);
    expect(csv.rows).toEqual([{ name: 'Smith, Ann', phone_number: '(555) 010-2000' }]);
    expect(csv.encoding).toBe('utf-8');
  });
  test('Windows-1252 bytes are decoded (é = 0xE9)', () => {
    const bytes = new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x52, 0x65, 0x6e, 0xe9, 0x0a]);
    expect(decodeCsvBytes(bytes)).toEqual({ text: 'name\nRené\n', encoding: 'windows-1252' });
    expect(parseCsv(bytes).rows[0].name).toBe('René');
  });
  test('tab and semicolon files are detected', () => {
    expect(detectDelimiter('a\tb\tc\n1\t2\t3')).toBe('\t');
    expect(detectDelimiter('a;b\n1;2')).toBe(';');
    expect(detectDelimiter('"x;y",b\n')).toBe(',');
    expect(parseCsv('sku\tqty\nA-1\t5\n').rows).toEqual([{ sku: 'A-1', qty: '5' }]);
  });
  test('short rows are padded, blank lines skipped', () => {
    expect(parseCsv('a,b,c\n1,2\n\n3,4,5\n').rows).toEqual([{ a: '1', b: '2', c: '' }, { a: '3', b: '4', c: '5' }]);
  });
  test('empty files, duplicate and blank headers and oversized files are refused clearly', () => {
    expect(() => parseCsv('')).toThrow(CsvFormatError);
    expect(() => parseCsv('a,A\n1,2')).toThrow('appears twice');
    expect(() => parseCsv('a,,b\n1,2,3')).toThrow('no name');
    expect(() => parseCsv('a\n1\n2\n3', { maxRows: 2 })).toThrow('at most 2');
    expect(() => parseCsv('a,b\n"unterminated,1\n')).toThrow(CsvFormatError);
  });
});

describe('CSV writing', () => {
  test('formulas are neutralized, numbers are not', () => {
    expect(neutralizeFormula('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(neutralizeFormula('+1 555')).toBe("'+1 555");
    expect(neutralizeFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralizeFormula('-3.10')).toBe('-3.10');
    expect(neutralizeFormula('-cmd')).toBe("'-cmd");
    expect(neutralizeFormula('Smith')).toBe('Smith');
  });
  test('quotes, commas and newlines round-trip', () => {
    const text = toCsv([{ header: 'name', value: (r: { n: string }) => r.n }, { header: 'cents', value: () => 1250 }], [{ n: 'A "quoted", name\nwith newline' }]);
    expect(parseCsv(text).rows).toEqual([{ name: 'A "quoted", name\nwith newline', cents: '1250' }]);
  });
});

import { parse } from 'csv-parse/sync';

/**
 * Old store systems export UTF-8 or Windows-1252 (AIM on Windows). Decode strictly as UTF-8 first and
 * fall back to Windows-1252 when the bytes aren't valid UTF-8; a BOM is dropped.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** Comma, tab or semicolon: whichever appears most in the header line (outside quotes). */
export function detectDelimiter(text: string): ',' | '\t' | ';' {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const counts = { ',': 0, '\t': 0, ';': 0 } as Record<',' | '\t' | ';', number>;
  for (const ch of unquoted) if (ch in counts) counts[ch as ','] += 1;
  return (Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0] as ',' | '\t' | ';') ?? ',';
}

export interface ParsedCsv {
  headers: string[];
  /** Rows keyed by normalized header (lowercase, spaces/dashes to underscores). */
  rows: Record<string, string>[];
  encoding: 'utf-8' | 'windows-1252';
  delimiter: string;
}

export const normalizeHeader = (h: string) => h.trim().toLowerCase().replace(/[\s\-./]+/g, '_');

export class CsvFormatError extends Error {}

export function parseCsv(bytes: Uint8Array | string, opts: { maxRows?: number } = {}): ParsedCsv {
  const decoded = typeof bytes === 'string' ? { text: bytes, encoding: 'utf-8' as const } : decodeCsvBytes(bytes);
  const text = decoded.text.replace(/^\uFEFF/, '');
  if (!text.trim()) throw new CsvFormatError('The file is empty.');
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new CsvFormatError(`The file is not valid CSV: ${(err as Error).message}`);
  }
  const [headerRow, ...data] = records;
  const headers = headerRow.map(normalizeHeader);
  const seen = new Set<string>();
  for (const h of headers) {
    if (!h) throw new CsvFormatError('A column in the header row has no name.');
    if (seen.has(h)) throw new CsvFormatError(`The column "${h}" appears twice in the header row.`);
    seen.add(h);
  }
  const max = opts.maxRows ?? 50_000;
  if (data.length > max) throw new CsvFormatError(`The file has ${data.length} rows; split it into files of at most ${max}.`);
  const rows = data.map((cells) => Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? ''])));
  return { headers, rows, encoding: decoded.encoding, delimiter };
}

/**
 * A small CSV reader for batch manifests (RFC 4180: comma-separated, fields optionally in
 * double quotes, "" for a quote inside, CRLF or LF line ends). Each record keeps the line
 * it starts on, so a bad row can be reported where the user will find it.
 */
import { GramophoneError } from '../../common/errors';

/** One record: its fields and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Split CSV text into records. Blank lines are skipped; a leading byte-order mark is ignored.
 * @throws GramophoneError INVALID_INPUT for a quote left open, naming its line
 */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0].trim() !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      field = '';
      quoted = true;
      quoteLine = line;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) throw new GramophoneError('INVALID_INPUT', `line ${quoteLine}: a quoted field is never closed`);
  endRecord();
  return records;
}

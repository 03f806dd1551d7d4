/**
 * redis-cli's line splitting (sds.c sdssplitargs): words separated by blanks; "double quotes"
 * with \n \r \t \b \a \xHH escapes; 'single quotes' where only \' is special. A closing quote
 * must be followed by a blank or the end of the line. Returns undefined where redis-cli says
 * "Invalid argument(s)". Works on one-char-per-byte strings.
 */
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
const isHex = (c: string) => /^[0-9a-fA-F]$/.test(c);

export function splitArgs(line: string): string[] | undefined {
  // A C string ends at its first NUL byte.
  const nul = line.indexOf('\0');
  if (nul >= 0) line = line.slice(0, nul);
  const args: string[] = [];
  let p = 0;
  const at = (i: number) => line.charAt(i);
  for (;;) {
    while (p < line.length && isSpace(at(p))) p++;
    if (p >= line.length) return args;
    let inDouble = false;
    let inSingle = false;
    let current = '';
    for (let done = false; !done; ) {
      const c = at(p);
      if (inDouble) {
        if (c === '\\' && at(p + 1) === 'x' && isHex(at(p + 2)) && isHex(at(p + 3))) {
          current += String.fromCharCode(parseInt(at(p + 2) + at(p + 3), 16));
          p += 3;
        } else if (c === '\\' && at(p + 1) !== '') {
          p++;
          const e = at(p);
          current += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (at(p + 1) !== '' && !isSpace(at(p + 1))) return undefined;
          done = true;
        } else if (c === '') {
          return undefined;
        } else {
          current += c;
        }
      } else if (inSingle) {
        if (c === '\\' && at(p + 1) === "'") {
          p++;
          current += "'";
        } else if (c === "'") {
          if (at(p + 1) !== '' && !isSpace(at(p + 1))) return undefined;
          done = true;
        } else if (c === '') {
          return undefined;
        } else {
          current += c;
        }
      } else if (c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '') {
        done = true;
      } else if (c === '"') {
        inDouble = true;
      } else if (c === "'") {
        inSingle = true;
      } else {
        current += c;
      }
      if (p < line.length) p++;
    }
    args.push(current);
  }
}

/**
 * Redis' glob matching (util.c stringmatchlen), used by KEYS, SCAN MATCH, PSUBSCRIBE and CONFIG GET.
 * Ported index for index, quirks included: `[a-` at the end of a pattern, a backslash before
 * any character, ranges written backwards (`[z-a]`), ranges over bytes ≥ 0x80 compared as
 * signed chars. Reading past the end of the pattern gives
 * '' where C reads the terminating NUL.
 */
export function globMatch(pattern: string, text: string, nocase = false): boolean {
  const state = { skipLonger: false };
  return match(pattern, 0, pattern.length, text, 0, text.length, nocase, state);
}

function lower(c: string): string {
  const code = c.charCodeAt(0);
  return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c;
}

/** tolower in the C locale, which Redis keeps for character classes: only A-Z change. */
function lowerCode(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/**
 * A byte as C's (signed) char holds it on the platforms Redis runs on: bytes 0x80-0xff are
 * negative, so a range like [a-\xff] is taken as [\xff-a] and holds 0x00-0x61 and 0xff.
 */
function signedChar(code: number): number {
  return code > 127 ? code - 256 : code;
}

function match(
  pat: string, p: number, plen: number,
  str: string, s: number, slen: number,
  nocase: boolean, state: { skipLonger: boolean },
): boolean {
  while (plen > 0 && slen > 0) {
    switch (pat.charAt(p)) {
      case '*':
        while (plen > 0 && pat.charAt(p + 1) === '*') {
          p++;
          plen--;
        }
        if (plen === 1) return true;
        while (slen > 0) {
          if (match(pat, p + 1, plen - 1, str, s, slen, nocase, state)) return true;
          if (state.skipLonger) return false;
          s++;
          slen--;
        }
        // No match for the rest of the pattern from anywhere in the rest of the string: earlier
        // stars cannot help by matching more, so stop trying (this keeps `a*a*a*…b` linear).
        state.skipLonger = true;
        return false;
      case '?':
        s++;
        slen--;
        break;
      case '[': {
        p++;
        plen--;
        const not = pat.charAt(p) === '^';
        if (not) {
          p++;
          plen--;
        }
        let matched = false;
        const c = str.charAt(s);
        for (;;) {
          if (pat.charAt(p) === '\\' && plen >= 2) {
            p++;
            plen--;
            if (pat.charAt(p) === c) matched = true;
          } else if (pat.charAt(p) === ']') {
            break;
          } else if (plen === 0) {
            p--;
            plen++;
            break;
          } else if (plen >= 3 && pat.charAt(p + 1) === '-') {
            let start = signedChar(pat.charCodeAt(p));
            let end = signedChar(pat.charCodeAt(p + 2));
            let code = signedChar(c.charCodeAt(0));
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lowerCode(start);
              end = lowerCode(end);
              code = lowerCode(code);
            }
            p += 2;
            plen -= 2;
            if (code >= start && code <= end) matched = true;
          } else if (nocase ? lower(pat.charAt(p)) === lower(c) : pat.charAt(p) === c) {
            matched = true;
          }
          p++;
          plen--;
        }
        if (not) matched = !matched;
        if (!matched) return false;
        s++;
        slen--;
        break;
      }
      case '\\':
        if (plen >= 2) {
          p++;
          plen--;
        }
      // falls through
      default: {
        const a = pat.charAt(p);
        const b = str.charAt(s);
        if (nocase ? lower(a) !== lower(b) : a !== b) return false;
        s++;
        slen--;
        break;
      }
    }
    p++;
    plen--;
    if (slen === 0) {
      while (pat.charAt(p) === '*') {
        p++;
        plen--;
      }
      break;
    }
  }
  return plen === 0 && slen === 0;
}

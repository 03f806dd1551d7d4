/**
 * LZF (lzf_c.c, lzf_d.c), the compression RDB files use for strings longer than 20 bytes.
 *
 * The stream is a sequence of chunks. A control byte below 32 starts a literal run of ctrl + 1
 * bytes; any other is a back reference: length (ctrl >> 5) + 2, extended by one more byte when
 * the 3-bit length is 7, and distance ((ctrl & 31) << 8 | next byte) + 1 back in the output.
 * Any valid stream decompresses the same, so our compressor need not emit Redis' exact bytes.
 */

const HASH_BITS = 14;
const MAX_LITERAL = 32;
const MAX_OFFSET = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3); // 264: 7 + 255 + 2

const table = new Int32Array(1 << HASH_BITS);

function hash(v: number): number {
  // Multiplicative hash of three bytes; any mixing works, this one spreads well.
  return (Math.imul(v, 0x9e3779b1) >>> (32 - HASH_BITS)) & ((1 << HASH_BITS) - 1);
}

/**
 * lzf_compress: the compressed bytes, or undefined when they would not fit in `maxLength`
 * bytes (Redis asks for at least 4 bytes saved, and stores the string plainly otherwise).
 */
export function lzfCompress(input: Uint8Array, maxLength: number): Buffer | undefined {
  const n = input.length;
  const out = Buffer.allocUnsafe(maxLength + MAX_LITERAL + 2);
  table.fill(-1);
  let op = 1; // room for the first literal run's control byte
  let lit = 0; // bytes in the current literal run
  let ip = 0;
  while (ip + 2 < n) {
    const v = ((input[ip] as number) << 16) | ((input[ip + 1] as number) << 8) | (input[ip + 2] as number);
    const h = hash(v);
    const ref = table[h] as number;
    table[h] = ip;
    const off = ip - ref - 1;
    if (
      ref >= 0 && off < MAX_OFFSET
      && input[ref] === input[ip] && input[ref + 1] === input[ip + 1] && input[ref + 2] === input[ip + 2]
    ) {
      let len = 3;
      const maxlen = Math.min(n - ip, MAX_REF);
      while (len < maxlen && input[ref + len] === input[ip + len]) len++;
      // Close the literal run (or drop its unused control byte).
      if (lit > 0) out[op - lit - 1] = lit - 1;
      else op--;
      if (op + 3 > maxLength) return undefined;
      const l = len - 2;
      if (l < 7) {
        out[op++] = (l << 5) | (off >> 8);
      } else {
        out[op++] = (7 << 5) | (off >> 8);
        out[op++] = l - 7;
      }
      out[op++] = off & 0xff;
      op++; // the next literal run's control byte
      lit = 0;
      ip += len;
      continue;
    }
    out[op++] = input[ip++] as number;
    if (++lit === MAX_LITERAL) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
    if (op > maxLength) return undefined;
  }
  while (ip < n) {
    out[op++] = input[ip++] as number;
    if (++lit === MAX_LITERAL) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  if (lit > 0) out[op - lit - 1] = lit - 1;
  else op--;
  if (op > maxLength) return undefined;
  return out.subarray(0, op);
}

/** lzf_decompress: the `outLength` bytes, or undefined when the stream is invalid or of another length. */
export function lzfDecompress(input: Uint8Array, outLength: number): Buffer | undefined {
  const out = Buffer.allocUnsafe(outLength);
  const inEnd = input.length;
  let ip = 0;
  let op = 0;
  while (ip < inEnd) {
    const ctrl = input[ip++] as number;
    if (ctrl < 32) {
      const len = ctrl + 1;
      if (op + len > outLength || ip + len > inEnd) return undefined;
      for (let i = 0; i < len; i++) out[op++] = input[ip++] as number;
    } else {
      let len = ctrl >> 5;
      if (ip >= inEnd) return undefined;
      if (len === 7) {
        len += input[ip++] as number;
        if (ip >= inEnd) return undefined;
      }
      const ref = op - ((ctrl & 0x1f) << 8) - 1 - (input[ip++] as number);
      len += 2;
      if (op + len > outLength || ref < 0) return undefined;
      for (let i = 0; i < len; i++) out[op++] = out[ref + i] as number;
    }
  }
  return op === outLength ? out : undefined;
}

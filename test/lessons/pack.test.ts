/** pack.yaml: read into a LessonPack, and every mistake in it reported at its file:line:col. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PackFileError, readPack } from '../../src/lessons/pack.js';

let dir: string;
beforeEach(() => {
  dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-pack-')), 'Week 3');
  fs.mkdirSync(dir);
});
afterEach(() => {
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

/** The message readPack throws for this pack.yaml, without the file's name. */
function problem(text: string): string {
  fs.writeFileSync(path.join(dir, 'pack.yaml'), text);
  try {
    readPack(dir);
  } catch (e) {
    if (!(e instanceof PackFileError)) throw e;
    expect(e.message).toBe(`${path.join(dir, 'pack.yaml')}:${e.at.line}:${e.at.col}: ${e.detail}`);
    return `${e.at.line}:${e.at.col}: ${e.detail}`;
  }
  throw new Error('no problem reported');
}

describe('readPack', () => {
  it('reads pack.yaml', () => {
    fs.writeFileSync(path.join(dir, 'pack.yaml'), 'format: 1\nid: db-101\ntitle: Databases 101\nstrict: true\nreport:\n  key: 0123456789abcdef\n');
    expect(readPack(dir)).toEqual({ dir, id: 'db-101', title: 'Databases 101', strict: true, reportKey: '0123456789abcdef', declared: true });
  });

  it('names a directory without pack.yaml after itself', () => {
    expect(readPack(dir)).toEqual({ dir, id: 'week-3', title: 'Week 3', strict: false, declared: false });
  });

  it('reports each mistake at its line and column', () => {
    expect(problem('')).toBe('1:1: expected the fields format, id and title');
    expect(problem('format: 1\ntitle: T\n')).toBe('1:1: id: this field is missing');
    expect(problem('format: 2\nid: a\ntitle: T\n')).toBe('1:9: format: expected format: 1');
    expect(problem('format: 1\nid: A b\ntitle: T\n')).toBe('2:5: id: expected an id of lower-case letters, digits and dashes');
    expect(problem('format: 1\nid: a\ntitle: T\nstrikt: true\n')).toBe('4:1: strikt: unknown field "strikt" (a typo?)');
    expect(problem('format: 1\nid: a\ntitle: T\nstrict: yes\n')).toBe('4:9: strict: expected strict: true or false');
    expect(problem('format: 1\nid: a\ntitle: T\nreport:\n  key: short\n')).toBe('5:8: report.key: expected a key of at least 16 characters');
    expect(problem('format: 1\nid: [a\n')).toMatch(/^\d+:\d+: YAML: /);
  });
});

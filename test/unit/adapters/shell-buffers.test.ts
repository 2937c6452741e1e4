import { describe, expect, it } from 'vitest';
import { HeadBuffer, LineSplitter, TailBuffer } from '../../../src/adapters/shell/buffers';
import { quoteArgv } from '../../../src/adapters/shell/quote';

describe('TailBuffer', () => {
  it('keeps only the last `limit` bytes however much is pushed', () => {
    const tail = new TailBuffer(10);
    for (let i = 0; i < 1000; i++) tail.push(Buffer.from(`line ${i}\n`));
    expect(tail.byteLength).toBe(10);
    expect(tail.text()).toBe('\nline 999\n');
    tail.push(Buffer.from('x'.repeat(50)));
    expect(tail.text()).toBe('x'.repeat(10));
    expect(tail.dropped).toBeGreaterThan(0);
  });
});

describe('HeadBuffer', () => {
  it('keeps the first `limit` bytes and notes the rest', () => {
    const head = new HeadBuffer(5);
    head.push(Buffer.from('abc'));
    expect(head.truncated).toBe(false);
    head.push(Buffer.from('defgh'));
    head.push(Buffer.from('ijk'));
    expect(head.text()).toBe('abcde');
    expect(head.truncated).toBe(true);
  });
});

describe('LineSplitter', () => {
  it('splits across chunks, strips CR, flushes the last partial line, and keeps UTF-8 whole', () => {
    const lines: string[] = [];
    const split = new LineSplitter((line) => lines.push(line));
    const euro = Buffer.from('€');
    split.push(Buffer.from('one\r\ntw'));
    split.push(Buffer.concat([Buffer.from('o '), euro.subarray(0, 1)]));
    split.push(Buffer.concat([euro.subarray(1), Buffer.from('\nthree')]));
    split.end();
    expect(lines).toEqual(['one', 'two €', 'three']);
  });

  it('passes a line longer than the limit on in pieces', () => {
    const lines: string[] = [];
    const split = new LineSplitter((line) => lines.push(line), 4);
    split.push(Buffer.from('abcdefghij'));
    split.end();
    expect(lines).toEqual(['abcd', 'efgh', 'ij']);
  });
});

describe('quoteArgv', () => {
  it('quotes only what needs it', () => {
    expect(quoteArgv(['echo', 'a b', '', '$(x)', 'k=v'])).toBe(`echo 'a b' '' '$(x)' k=v`);
    expect(quoteArgv(['printf', '%s\n', "it's\t\\"])).toBe(`printf $'%s\\n' $'it\\'s\\t\\\\'`);
  });
});

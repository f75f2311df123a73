import { describe, expect, test } from 'bun:test';
import { imageProblem, MAX_IMAGE_BYTES, sniffImageType } from './image-format';

const bytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('sniffImageType', () => {
  test('recognises JPEG, PNG and WebP by their signatures', () => {
    expect(sniffImageType(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'))).toBe('image/jpeg');
    expect(sniffImageType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR'))).toBe('image/png');
    expect(sniffImageType(bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp');
  });
  test('refuses other formats, text and truncated signatures', () => {
    expect(sniffImageType(bytes('GIF89a'))).toBeNull();
    expect(sniffImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImageType(bytes('not really a png'))).toBeNull();
    expect(sniffImageType(bytes('RIFF', [0, 0, 0, 0], 'WAVE'))).toBeNull(); // a RIFF that is audio
    expect(sniffImageType(bytes([0x89], 'PNG'))).toBeNull(); // first 4 of 8 signature bytes
    expect(sniffImageType(bytes([0xff, 0xd8]))).toBeNull();
    expect(sniffImageType(new Uint8Array())).toBeNull();
  });
});

describe('imageProblem', () => {
  const png = (size: number) => {
    const b = new Uint8Array(size);
    b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    return b;
  };
  test('5 MB is the largest accepted size', () => {
    expect(imageProblem(png(MAX_IMAGE_BYTES))).toBeNull();
    expect(imageProblem(png(MAX_IMAGE_BYTES + 1))).toBe('too_large');
  });
  test('empty and unknown files are named as such', () => {
    expect(imageProblem(new Uint8Array())).toBe('empty');
    expect(imageProblem(bytes('hello'))).toBe('unsupported_type');
  });
});

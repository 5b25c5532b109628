import { HttpStatus } from '@nestjs/common';
import { Transform, TransformCallback } from 'node:stream';
import { AppException, badRequest } from '@crescendo/platform';
import type { AssetKind } from './studio-asset.entity';

export interface DetectedType {
  mimeType: string;
  kind: AssetKind;
}

/** Bytes needed to recognise every supported type. */
export const SNIFF_BYTES = 16;

const ascii = (buf: Buffer, start: number, text: string) =>
  buf.length >= start + text.length && buf.toString('latin1', start, start + text.length) === text;
const bytes = (buf: Buffer, start: number, values: number[]) =>
  buf.length >= start + values.length && values.every((v, i) => buf[start + i] === v);

/** The type a file's own first bytes announce, or null for anything the studio does not take. */
export function detectMediaType(head: Buffer): DetectedType | null {
  if (bytes(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mimeType: 'image/png', kind: 'image' };
  if (bytes(head, 0, [0xff, 0xd8, 0xff])) return { mimeType: 'image/jpeg', kind: 'image' };
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return { mimeType: 'image/gif', kind: 'image' };
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return { mimeType: 'image/webp', kind: 'image' };
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) return { mimeType: 'audio/wav', kind: 'audio' };
  if (ascii(head, 4, 'ftyp')) {
    const brand = head.toString('latin1', 8, 12);
    if (brand === 'qt  ') return { mimeType: 'video/quicktime', kind: 'video' };
    if (brand.startsWith('M4A')) return { mimeType: 'audio/mp4', kind: 'audio' };
    return { mimeType: 'video/mp4', kind: 'video' };
  }
  if (bytes(head, 0, [0x1a, 0x45, 0xdf, 0xa3])) return { mimeType: 'video/webm', kind: 'video' };
  if (ascii(head, 0, 'ID3') || (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0)) {
    return { mimeType: 'audio/mpeg', kind: 'audio' };
  }
  if (ascii(head, 0, 'OggS')) return { mimeType: 'audio/ogg', kind: 'audio' };
  if (ascii(head, 0, 'fLaC')) return { mimeType: 'audio/flac', kind: 'audio' };
  if (ascii(head, 0, '%PDF-')) return { mimeType: 'application/pdf', kind: 'document' };
  return null;
}

export const unsupportedMediaType = () =>
  new AppException(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'UNSUPPORTED_FILE_TYPE',
    'Send an image (PNG, JPEG, GIF, WebP), a video (MP4, MOV, WebM), audio (MP3, WAV, OGG, FLAC, M4A) or a PDF',
  );

/** Passes bytes through once their first SNIFF_BYTES match a supported type; fails the stream (415) otherwise. */
export class MediaTypeSniffer extends Transform {
  detected: DetectedType | null = null;
  private head: Buffer[] = [];
  private headBytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.detected) return done(null, chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < SNIFF_BYTES) return done();
    this.release(done);
  }

  override _flush(done: TransformCallback): void {
    if (this.detected) return done();
    if (this.headBytes === 0) return done(badRequest('FILE_EMPTY', 'The file is empty'));
    this.release(done);
  }

  private release(done: TransformCallback): void {
    const head = Buffer.concat(this.head, this.headBytes);
    this.head = [];
    this.detected = detectMediaType(head);
    if (!this.detected) return done(unsupportedMediaType());
    done(null, head);
  }
}

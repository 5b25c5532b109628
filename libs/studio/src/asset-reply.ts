import { StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AssetFile } from './studio.service';

/**
 * Sends an asset's file: 200 with Accept-Ranges, or 206 with Content-Range for a Range request (players
 * seek with them). The name is RFC 5987-encoded, never raw.
 */
export function replyWithAsset(reply: FastifyReply, file: AssetFile): StreamableFile {
  reply.header('Accept-Ranges', 'bytes');
  const length = file.range ? file.range.end - file.range.start + 1 : file.size;
  if (file.range) {
    reply.status(206);
    reply.header('Content-Range', `bytes ${file.range.start}-${file.range.end}/${file.size}`);
  }
  return new StreamableFile(file.stream, {
    type: file.contentType,
    length,
    disposition: `${file.disposition}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
  });
}

import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { AppException, badRequest } from './app.exception';

/** A form field of a multipart body. */
export interface FieldPart {
  type: 'field';
  fieldName: string;
  value: string;
}

/** A file of a multipart body: read `stream` to its end (or `resume()` it) before the next part comes. */
export interface FilePart {
  type: 'file';
  fieldName: string;
  /** As the client named it; may be empty. */
  fileName: string;
  /** As the client announced it: never trust it for the content. */
  mimeType: string;
  stream: Readable;
  /** Once the stream has ended: whether it was cut at `MultipartLimits.fileSize`. */
  readonly truncated: boolean;
}

export type MultipartPart = FieldPart | FilePart;

export interface MultipartLimits {
  /** Bytes per file: past it the file's stream ends early and `truncated` says so (no error). */
  fileSize: number;
  files?: number;
  fields?: number;
  fieldSize?: number;
}

/**
 * A multipart request body as plain parts, for services that stream uploads without knowing the HTTP framework.
 * The limits are the service's: `parts` is read once, lazily, as the service consumes it.
 */
export interface MultipartBody {
  parts(limits: MultipartLimits): AsyncIterable<MultipartPart>;
}

/** The request's multipart body; null when it is not multipart/form-data. Controllers call it. */
export function multipartBody(request: FastifyRequest): MultipartBody | null {
  if (!request.isMultipart()) return null;
  return {
    async *parts(limits) {
      // Over the limit a file is truncated (the service checks after reading) rather than failing the parts.
      const parts = request.parts({ limits, throwFileSizeLimit: false } as Parameters<FastifyRequest['parts']>[0]);
      for await (const part of parts as AsyncIterableIterator<Multipart>) {
        yield part.type === 'field'
          ? { type: 'field', fieldName: part.fieldname, value: String(part.value) }
          : filePart(part);
      }
    },
  };
}

function filePart(part: MultipartFile): FilePart {
  return {
    type: 'file',
    fieldName: part.fieldname,
    fileName: part.filename ?? '',
    mimeType: part.mimetype,
    stream: part.file,
    get truncated() {
      return part.file.truncated;
    },
  };
}

/** Busboy's parse errors (no boundary, truncated body, bad part headers) are plain Errors: the client's fault. */
export function malformedMultipart(error: unknown): AppException | null {
  if (error instanceof AppException || !(error instanceof Error) || 'statusCode' in error) return null;
  if (!/^(Multipart: |Unexpected end of form|Malformed )/.test(error.message)) return null;
  return badRequest('INVALID_MULTIPART', `The multipart body is malformed: ${error.message}`);
}

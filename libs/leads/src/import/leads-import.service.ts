import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AppConfig,
  AppException,
  badRequest,
  FileStore,
  type FilePart,
  malformedMultipart,
  type MultipartBody,
  Principal,
} from '@crescendo/platform';
import { JobAcceptedResponseDto, JobTrackerService } from '@crescendo/jobs';
import { importFields, isImportTarget } from './import-fields';
import { ImportLeadsPayload, LeadsJobs } from '../leads.jobs';

type ImportFormat = ImportLeadsPayload['format'];

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const formatByExtension: Record<string, ImportFormat> = { '.csv': 'csv', '.txt': 'csv', '.xlsx': 'xlsx' };
const formatByType: Record<string, ImportFormat> = { 'text/csv': 'csv', 'text/plain': 'csv', [XLSX_TYPE]: 'xlsx' };
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

const unsupported = () =>
  new AppException(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'UNSUPPORTED_FILE_TYPE',
    'Send a CSV (.csv) or Excel (.xlsx) file',
  );

/** Refuses, on the first bytes, a file whose content does not match its announced format. */
class MagicCheck extends Transform {
  private checked = false;
  constructor(private readonly format: ImportFormat) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    if (!this.checked) {
      this.checked = true;
      const zip = chunk.subarray(0, 4).equals(ZIP_MAGIC);
      // A text file has no NUL byte; XLSX is a zip archive.
      const ok = this.format === 'xlsx' ? zip : !zip && !chunk.includes(0);
      if (!ok) return done(unsupported());
    }
    done(null, chunk);
  }
}

/** API side of the leads import: stores the upload in FileStore, then queues the tracked job. */
@Injectable()
export class LeadsImportService {
  constructor(
    private readonly files: FileStore,
    private readonly tracker: JobTrackerService,
    private readonly config: AppConfig,
  ) {}

  async accept(principal: Principal, body: MultipartBody | null): Promise<JobAcceptedResponseDto> {
    if (!body) {
      throw badRequest('IMPORT_FILE_REQUIRED', 'Send the file as multipart/form-data in the field "file"');
    }
    const jobId = randomUUID();
    const fields: Record<string, string> = {};
    let upload: { key: string; format: ImportFormat } | null = null;
    try {
      const parts = body.parts({
        fileSize: this.config.env.IMPORT_MAX_BYTES,
        files: 1,
        fields: 10,
        fieldSize: 64 * 1024,
      });
      for await (const part of parts) {
        if (part.type === 'field') {
          if (part.value.includes('\0')) {
            throw badRequest('INVALID_CHARACTER', `The field "${part.fieldName}" contains a NUL character`);
          }
          fields[part.fieldName] = part.value;
        } else if (part.fieldName === 'file' && !upload) {
          upload = await this.store(jobId, part);
        } else {
          part.stream.resume(); // not ours: drain it
        }
      }
      if (!upload) throw badRequest('IMPORT_FILE_REQUIRED', 'Send the file in the multipart field "file"');
      const options = this.options(fields);
      return await this.tracker.submit(
        LeadsJobs.ImportLeads,
        {
          workspaceId: principal.workspaceId,
          userId: principal.userId,
          fileKey: upload.key,
          format: upload.format,
          ...options,
        },
        principal.userId,
        jobId,
      );
    } catch (error) {
      if (upload) await this.files.remove(upload.key);
      throw malformedMultipart(error) ?? error;
    }
  }

  /** Streams the file to `uploads/<jobId>.<ext>`; nothing is kept when it is refused. */
  private async store(jobId: string, part: FilePart): Promise<{ key: string; format: ImportFormat }> {
    const format = formatByExtension[extname(part.fileName).toLowerCase()] ?? formatByType[part.mimeType];
    if (!format) {
      part.stream.resume();
      throw unsupported();
    }
    const key = `uploads/${jobId}.${format}`;
    try {
      await pipeline(part.stream, new MagicCheck(format), await this.files.writeStream(key));
      if (part.truncated) {
        throw new AppException(
          HttpStatus.PAYLOAD_TOO_LARGE,
          'FILE_TOO_LARGE',
          `The file is larger than ${this.config.env.IMPORT_MAX_BYTES} bytes`,
        );
      }
      if (!(await this.files.size(key))) throw badRequest('IMPORT_FILE_EMPTY', 'The file is empty');
    } catch (error) {
      part.stream.resume();
      await this.files.remove(key);
      throw error;
    }
    return { key, format };
  }

  private options(
    fields: Record<string, string>,
  ): Pick<ImportLeadsPayload, 'mapping' | 'duplicatePolicy' | 'defaultSource'> {
    let mapping: Record<string, string> | null = null;
    if (fields.mapping !== undefined && fields.mapping.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(fields.mapping);
      } catch {
        throw badRequest('VALIDATION_FAILED', 'mapping is not valid JSON', [
          { field: 'mapping', message: 'must be a JSON object: {"file column": "lead field"}' },
        ]);
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.keys(parsed).length) {
        throw badRequest('VALIDATION_FAILED', 'mapping must be a non-empty JSON object', [
          { field: 'mapping', message: 'must be a JSON object: {"file column": "lead field"}' },
        ]);
      }
      const entries = Object.entries(parsed as Record<string, unknown>);
      const bad = entries.filter(([, target]) => typeof target !== 'string' || !isImportTarget(target));
      if (bad.length) {
        const valid = [...importFields, 'custom.<key>'].join(', ');
        throw badRequest(
          'VALIDATION_FAILED',
          `Unknown lead field in mapping: ${bad.map(([, t]) => String(t)).join(', ')}`,
          bad.map(([header, target]) => ({
            field: `mapping.${header}`,
            message: `"${String(target)}" is not a lead field; valid: ${valid}`,
          })),
        );
      }
      mapping = Object.fromEntries(entries) as Record<string, string>;
    }
    const duplicatePolicy = fields.duplicatePolicy?.trim() || 'skip';
    if (duplicatePolicy !== 'skip' && duplicatePolicy !== 'update') {
      throw badRequest('VALIDATION_FAILED', 'duplicatePolicy must be skip or update', [
        { field: 'duplicatePolicy', message: 'must be one of: skip, update' },
      ]);
    }
    const defaultSource = fields.defaultSource?.trim() || null;
    if (defaultSource && defaultSource.length > 100) {
      throw badRequest('VALIDATION_FAILED', 'defaultSource is too long', [
        { field: 'defaultSource', message: 'must be at most 100 characters' },
      ]);
    }
    return { mapping, duplicatePolicy, defaultSource };
  }
}

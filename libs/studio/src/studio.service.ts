import { HttpStatus, Injectable, StreamableFile } from '@nestjs/common';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AppConfig,
  AppException,
  badRequest,
  CursorCodec,
  type CursorPaginated,
  notFound,
  Principal,
} from '@crescendo/platform';
import { AssetStorage } from './asset-storage';
import { MediaTypeSniffer } from './media-type';
import { StudioAssetEntity } from './studio-asset.entity';
import { StudioAssetsRepository } from './studio-assets.repository';
import {
  AssetResponseDto,
  CreateTextAssetDto,
  ListAssetsQueryDto,
  UpdateAssetDto,
  UploadResponseDto,
} from './studio.dto';

const assetUrl = (id: string) => `/api/studio/assets/${id}/download`;

export function toAssetResponse(a: StudioAssetEntity): AssetResponseDto {
  return {
    id: a.id,
    title: a.title,
    originalName: a.originalName,
    folder: a.folder,
    tags: a.tags,
    kind: a.kind,
    mimeType: a.mimeType,
    size: a.size,
    source: a.source,
    url: assetUrl(a.id),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

/** A client's file name, kept as a label only (never part of a storage key). */
function displayName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (clean || 'file').slice(0, 255);
}

/** The workspace's media library: uploads sniffed and streamed to AssetStorage, metadata in studio_assets. */
@Injectable()
export class StudioService {
  constructor(
    private readonly storage: AssetStorage,
    private readonly repository: StudioAssetsRepository,
    private readonly cursors: CursorCodec,
    private readonly config: AppConfig,
  ) {}

  async upload(principal: Principal, request: FastifyRequest): Promise<UploadResponseDto> {
    if (!request.isMultipart()) {
      throw badRequest('FILE_REQUIRED', 'Send the file as multipart/form-data in the field "file"');
    }
    const maxBytes = this.config.env.STUDIO_UPLOAD_MAX_BYTES;
    const fields: Record<string, string> = {};
    let stored: { key: string; id: string; name: string; mimeType: string; kind: StudioAssetEntity['kind'] } | null =
      null;
    try {
      // Over the limit the file is truncated (checked after writing) rather than failing the part stream.
      const parts = request.parts({
        limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4 * 1024 },
        throwFileSizeLimit: false,
      } as Parameters<FastifyRequest['parts']>[0]);
      for await (const part of parts) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
        } else if (part.fieldname === 'file' && !stored) {
          stored = await this.store(principal.workspaceId, part, maxBytes);
        } else {
          part.file.resume(); // not ours: drain it
        }
      }
      if (!stored) throw badRequest('FILE_REQUIRED', 'Send the file in the multipart field "file"');
      const size = (await this.storage.size(stored.key)) ?? 0;
      const asset = await this.repository.insert({
        id: stored.id,
        workspaceId: principal.workspaceId,
        createdById: principal.userId,
        title: (fields.title?.trim() || stored.name).slice(0, 255),
        originalName: stored.name,
        folder: fields.folder?.trim().slice(0, 255) || null,
        tags: (fields.tags ?? '')
          .split(',')
          .map((t) => t.trim().slice(0, 50))
          .filter(Boolean)
          .slice(0, 20),
        kind: stored.kind,
        mimeType: stored.mimeType,
        size,
        storageKey: stored.key,
        source: 'upload',
      });
      return { fileId: asset.id, url: assetUrl(asset.id), size: asset.size, mimeType: asset.mimeType };
    } catch (error) {
      if (stored) await this.storage.remove(stored.key);
      throw malformedMultipart(error) ?? error;
    }
  }

  /** Streams the part to `studio/<workspace>/<new id>`; nothing is kept when it is refused. */
  private async store(workspaceId: string, part: MultipartFile, maxBytes: number) {
    const id = randomUUID();
    const key = `studio/${workspaceId}/${id}`;
    const sniffer = new MediaTypeSniffer();
    part.file.on('error', (error) => sniffer.destroy(error));
    // A refused file (415, empty) still has to be read to its end for the request to finish.
    sniffer.on('error', () => part.file.unpipe(sniffer).resume());
    part.file.pipe(sniffer);
    try {
      await this.storage.write(key, sniffer);
      if (part.file.truncated) {
        throw badRequest('FILE_TOO_LARGE', `The file is larger than ${maxBytes} bytes`);
      }
    } catch (error) {
      part.file.unpipe(sniffer).resume();
      await this.storage.remove(key);
      throw error;
    }
    return {
      id,
      key,
      name: displayName(part.filename),
      mimeType: sniffer.detected!.mimeType,
      kind: sniffer.detected!.kind,
    };
  }

  /** A text piece of the library: its content is stored like any file, as UTF-8 text/plain. */
  async createText(principal: Principal, dto: CreateTextAssetDto): Promise<AssetResponseDto> {
    const id = randomUUID();
    const key = `studio/${principal.workspaceId}/${id}`;
    const bytes = Buffer.from(dto.content, 'utf8');
    await this.storage.write(key, Readable.from([bytes]));
    try {
      const asset = await this.repository.insert({
        id,
        workspaceId: principal.workspaceId,
        createdById: principal.userId,
        title: dto.title,
        originalName: 'text.txt',
        folder: dto.folder ?? null,
        tags: [...new Set((dto.tags ?? []).map((t) => t.trim()).filter(Boolean))],
        kind: 'text',
        mimeType: 'text/plain',
        size: bytes.length,
        storageKey: key,
        source: 'text',
      });
      return toAssetResponse(asset);
    } catch (error) {
      await this.storage.remove(key);
      throw error;
    }
  }

  async list(workspaceId: string, query: ListAssetsQueryDto): Promise<CursorPaginated<AssetResponseDto>> {
    const filters = [query.kind, query.folder, query.tag, query.q].map((v) => v ?? '').join('\0');
    const page = await this.repository.list(workspaceId, query, {
      codec: this.cursors,
      scope: `${workspaceId}:studio-assets:${filters}`,
      request: query,
    });
    return { data: page.data.map(toAssetResponse), pagination: page.pagination };
  }

  async get(workspaceId: string, id: string): Promise<AssetResponseDto> {
    return toAssetResponse(await this.find(workspaceId, id));
  }

  async update(workspaceId: string, id: string, dto: UpdateAssetDto): Promise<AssetResponseDto> {
    const asset = await this.find(workspaceId, id);
    if (dto.title !== undefined) asset.title = dto.title;
    if (dto.tags !== undefined) asset.tags = [...new Set(dto.tags.map((t) => t.trim()).filter(Boolean))];
    if (dto.folder !== undefined) asset.folder = dto.folder;
    return toAssetResponse(await this.repository.save(asset));
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    const asset = await this.find(workspaceId, id);
    if (await this.repository.delete(workspaceId, id)) await this.storage.remove(asset.storageKey);
  }

  /** Bytes stored by the workspace (billing shows it against the plan's storage limit). */
  storageUsed(workspaceId: string): Promise<number> {
    return this.repository.bytesUsed(workspaceId);
  }

  async download(workspaceId: string, id: string): Promise<StreamableFile> {
    const asset = await this.find(workspaceId, id);
    const size = await this.storage.size(asset.storageKey);
    if (size === null) throw new AppException(HttpStatus.NOT_FOUND, 'ASSET_FILE_MISSING', 'The asset’s file is gone');
    return new StreamableFile(this.storage.read(asset.storageKey), {
      type: asset.kind === 'text' ? 'text/plain; charset=utf-8' : asset.mimeType,
      length: size,
      // Only sniffed media types and plain text are stored, so inline display is safe; the name is encoded.
      disposition: `inline; filename*=UTF-8''${encodeURIComponent(asset.originalName)}`,
    });
  }

  private async find(workspaceId: string, id: string): Promise<StudioAssetEntity> {
    const asset = await this.repository.find(workspaceId, id);
    if (!asset) throw notFound('ASSET_NOT_FOUND', 'No such asset in this workspace');
    return asset;
  }
}

/** Busboy's parse errors (no boundary, truncated body, bad part headers) are plain Errors: the client's fault. */
function malformedMultipart(error: unknown): AppException | null {
  if (error instanceof AppException || !(error instanceof Error) || 'statusCode' in error) return null;
  if (!/^(Multipart: |Unexpected end of form|Malformed )/.test(error.message)) return null;
  return badRequest('INVALID_MULTIPART', `The multipart body is malformed: ${error.message}`);
}

import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { createHmac, randomUUID } from 'node:crypto';
import { Readable, Transform, TransformCallback } from 'node:stream';
import {
  AppConfig,
  AppException,
  badRequest,
  CursorCodec,
  type CursorPaginated,
  type FilePart,
  malformedMultipart,
  type MultipartBody,
  notFound,
  Principal,
  safeEqual,
} from '@crescendo/platform';
import { WorkspacePlanService } from '@crescendo/identity';
import { AssetStorage, type ByteRange } from './asset-storage';
import { analyseAsset, thumbnailKeyOf } from './asset-analysis';
import { detectMediaType, MediaTypeSniffer, SNIFF_BYTES, unsupportedMediaType } from './media-type';
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
const ASSET_URL = /^\/api\/studio\/assets\/([0-9a-f-]{36})\/download$/i;

type Signer = (id: string, variant: FileVariant) => string;

function toAssetResponse(a: StudioAssetEntity, sign: Signer): AssetResponseDto {
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
    jobId: a.jobId ?? null,
    width: a.width ?? null,
    height: a.height ?? null,
    durationSeconds: a.durationSeconds ?? null,
    metadata: a.metadata ?? {},
    url: assetUrl(a.id),
    thumbnailUrl: a.thumbnailKey ? `/api/studio/assets/${a.id}/thumbnail` : null,
    signedUrl: sign(a.id, 'file'),
    signedThumbnailUrl: a.thumbnailKey ? sign(a.id, 'thumbnail') : null,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

export type FileVariant = 'file' | 'thumbnail';

/** A signed link lives one to two hours: rounded to the hour, so a list fetched twice gives the same URLs (cached). */
const LINK_WINDOW_SECONDS = 3600;

/** A file the studio serves: the whole of it, or the range asked (206). */
export interface AssetFile {
  stream: Readable;
  size: number;
  range: ByteRange | null;
  contentType: string;
  fileName: string;
  /** SVG/HTML never reach the store (sniffed types only), so inline is safe; text is served as text. */
  disposition: 'inline' | 'attachment';
}

/** A file the AI layer or a job produced, to keep as an asset. */
export interface GeneratedAssetInput {
  workspaceId: string;
  userId: string | null;
  data: Buffer;
  title: string;
  originalName: string;
  /** ai-image, tts, subtitles, composition… */
  source: string;
  jobId: string | null;
  /** Given for text files (subtitles); otherwise read from the bytes like an upload. */
  type?: { mimeType: string; kind: StudioAssetEntity['kind'] };
  folder?: string | null;
  tags?: string[];
}

/** The bytes past which the stream fails with 413 STORAGE_QUOTA_EXCEEDED. */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(
    private readonly limit: number,
    private readonly error: () => Error,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) return done(this.error());
    done(null, chunk);
  }
}

/**
 * The one Range form browsers and players send: a single `bytes=a-b`, `bytes=a-` or `bytes=-n`. Several ranges
 * or an unknown unit: the whole file (null). A range that starts past the end: 'unsatisfiable' (416).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  const match = /^bytes=(\d*)-(\d*)$/.exec((header ?? '').trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (end < start) return start >= size ? 'unsatisfiable' : null;
  }
  if (start >= size) return 'unsatisfiable';
  return { start, end };
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
  private readonly logger = new Logger(StudioService.name);
  private readonly linkKey: Buffer;
  private readonly present = (a: StudioAssetEntity) => toAssetResponse(a, (id, variant) => this.signedUrl(id, variant));

  constructor(
    private readonly storage: AssetStorage,
    private readonly repository: StudioAssetsRepository,
    private readonly cursors: CursorCodec,
    private readonly config: AppConfig,
    private readonly plans: WorkspacePlanService,
  ) {
    this.linkKey = createHmac('sha256', config.env.JWT_SECRET).update('studio-file-links').digest();
  }

  /**
   * A link that serves the file without credentials until it expires: what <img> and <video> elements (which
   * send no Authorization header) load, seeking with Range.
   */
  signedUrl(id: string, variant: FileVariant): string {
    const expires = (Math.floor(Date.now() / 1000 / LINK_WINDOW_SECONDS) + 2) * LINK_WINDOW_SECONDS;
    return `/api/studio/files/${id}/${variant}?expires=${expires}&signature=${this.sign(id, variant, expires)}`;
  }

  private sign(id: string, variant: FileVariant, expires: number): string {
    return createHmac('sha256', this.linkKey).update(`${id}\n${variant}\n${expires}`).digest('base64url');
  }

  /** The file behind a signed link: 403 DOWNLOAD_LINK_INVALID, 410 DOWNLOAD_LINK_EXPIRED, 404 once deleted. */
  async signedFile(
    id: string,
    variant: FileVariant,
    expires: number,
    signature: string,
    range?: string,
  ): Promise<AssetFile> {
    if (!safeEqual(signature, this.sign(id, variant, expires))) {
      throw new AppException(HttpStatus.FORBIDDEN, 'DOWNLOAD_LINK_INVALID', 'This download link is not valid');
    }
    if (expires * 1000 < Date.now()) {
      throw new AppException(HttpStatus.GONE, 'DOWNLOAD_LINK_EXPIRED', 'This download link has expired');
    }
    const asset = await this.repository.findById(id);
    if (!asset) throw notFound('ASSET_NOT_FOUND', 'The asset is gone');
    return variant === 'file' ? this.fileOf(asset, range) : this.thumbnailOf(asset);
  }

  /** Bytes used and allowed (null: no limit): STUDIO_STORAGE_QUOTA_MB, else the plan's storageMb. */
  async storageUsage(workspaceId: string): Promise<{ used: number; total: number | null }> {
    const quotaMb = this.config.env.STUDIO_STORAGE_QUOTA_MB || (await this.plans.limitsOf(workspaceId)).storageMb;
    const used = await this.repository.usedBytes(workspaceId);
    return { used, total: quotaMb === null ? null : quotaMb * 1024 * 1024 };
  }

  /** Bytes the workspace may still store (Infinity: no limit). */
  private async remainingBytes(workspaceId: string): Promise<number> {
    const { used, total } = await this.storageUsage(workspaceId);
    return total === null ? Infinity : Math.max(0, total - used);
  }

  async upload(principal: Principal, body: MultipartBody | null): Promise<UploadResponseDto> {
    if (!body) {
      throw badRequest('FILE_REQUIRED', 'Send the file as multipart/form-data in the field "file"');
    }
    const maxBytes = this.config.env.STUDIO_UPLOAD_MAX_BYTES;
    const remaining = await this.remainingBytes(principal.workspaceId);
    const fields: Record<string, string> = {};
    let stored: { key: string; id: string; name: string; mimeType: string; kind: StudioAssetEntity['kind'] } | null =
      null;
    try {
      const parts = body.parts({ fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4 * 1024 });
      for await (const part of parts) {
        if (part.type === 'field') {
          fields[part.fieldName] = part.value;
        } else if (part.fieldName === 'file' && !stored) {
          stored = await this.store(principal.workspaceId, part, maxBytes, remaining);
        } else {
          part.stream.resume(); // not ours: drain it
        }
      }
      if (!stored) throw badRequest('FILE_REQUIRED', 'Send the file in the multipart field "file"');
      // Fields sent after the file are known only now: keepLocation applies here, after the bytes are stored.
      const analysis = await this.analyse(stored.key, stored.kind, fields.keepLocation === 'true');
      const asset = await this.repository.insert({
        ...analysis,
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
        storageKey: stored.key,
        source: 'upload',
      });
      return { fileId: asset.id, url: assetUrl(asset.id), size: asset.size, mimeType: asset.mimeType };
    } catch (error) {
      if (stored) await this.removeFiles(stored.key);
      throw malformedMultipart(error) ?? error;
    }
  }

  /** Size, dimensions, duration, codecs, EXIF (location removed unless kept) and thumbnail of a stored file. */
  private async analyse(key: string, kind: StudioAssetEntity['kind'], keepLocation: boolean) {
    const found = await analyseAsset(this.storage, key, kind, keepLocation).catch((error: unknown) => {
      // A file the tools cannot read is still the user's file: kept, without metadata.
      this.logger.warn(`analysis of ${key} failed: ${String(error)}`);
      return { width: null, height: null, durationSeconds: null, metadata: {}, thumbnailKey: null };
    });
    return { ...found, size: (await this.storage.size(key)) ?? 0 };
  }

  private async removeFiles(key: string): Promise<void> {
    await this.storage.remove(key);
    await this.storage.remove(thumbnailKeyOf(key));
  }

  /**
   * Keeps a file the AI layer or a job produced as an asset, with the same type check, quota and analysis as
   * an upload. 413 STORAGE_QUOTA_EXCEEDED when it does not fit.
   */
  async storeGenerated(input: GeneratedAssetInput): Promise<AssetResponseDto> {
    const type = input.type ?? detectMediaType(input.data.subarray(0, SNIFF_BYTES));
    if (!type) throw unsupportedMediaType();
    if (input.data.length > (await this.remainingBytes(input.workspaceId))) throw storageQuotaExceeded();
    const id = randomUUID();
    const key = `studio/${input.workspaceId}/${id}`;
    await this.storage.write(key, Readable.from([input.data]));
    try {
      const analysis = type.kind === 'text' ? { size: input.data.length } : await this.analyse(key, type.kind, false);
      const asset = await this.repository.insert({
        ...analysis,
        id,
        workspaceId: input.workspaceId,
        createdById: input.userId,
        title: input.title.slice(0, 255),
        originalName: displayName(input.originalName),
        folder: input.folder ?? null,
        tags: input.tags ?? [],
        kind: type.kind,
        mimeType: type.mimeType,
        storageKey: key,
        source: input.source,
        jobId: input.jobId,
      });
      return this.present(asset);
    } catch (error) {
      await this.removeFiles(key);
      throw error;
    }
  }

  /** The asset a `/api/studio/assets/:id/download` URL names, in this workspace; null when the URL is not one. */
  assetIdOfUrl(url: string): string | null {
    return ASSET_URL.exec(url.split('?')[0])?.[1] ?? null;
  }

  /** An asset's whole bytes, up to `maxBytes` (a 400 past it), with what they are. */
  async readAsset(
    workspaceId: string,
    id: string,
    maxBytes: number,
  ): Promise<{ data: Buffer; asset: AssetResponseDto }> {
    const asset = await this.find(workspaceId, id);
    if (asset.size > maxBytes) {
      throw badRequest('FILE_TOO_LARGE', `The asset is larger than ${maxBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of await this.storage.read(asset.storageKey)) chunks.push(chunk as Buffer);
    return { data: Buffer.concat(chunks), asset: this.present(asset) };
  }

  /** Streams the part to `studio/<workspace>/<new id>`; nothing is kept when it is refused. */
  private async store(workspaceId: string, part: FilePart, maxBytes: number, remaining: number) {
    const id = randomUUID();
    const key = `studio/${workspaceId}/${id}`;
    const sniffer = new MediaTypeSniffer();
    // Counting bytes against the quota only when the file could pass it (one stream hop less otherwise).
    const quota = remaining < maxBytes ? new ByteLimit(remaining, storageQuotaExceeded) : null;
    part.stream.on('error', (error) => sniffer.destroy(error));
    // A refused file (415, empty, over quota) still has to be read to its end for the request to finish.
    sniffer.on('error', (error) => {
      part.stream.unpipe(sniffer).resume();
      quota?.destroy(error);
    });
    quota?.on('error', () => part.stream.unpipe(sniffer).resume());
    part.stream.pipe(sniffer);
    if (quota) sniffer.pipe(quota);
    try {
      await this.storage.write(key, quota ?? sniffer);
      if (part.truncated) {
        throw badRequest('FILE_TOO_LARGE', `The file is larger than ${maxBytes} bytes`);
      }
    } catch (error) {
      part.stream.unpipe(sniffer).resume();
      await this.storage.remove(key);
      throw error;
    }
    return {
      id,
      key,
      name: displayName(part.fileName),
      mimeType: sniffer.detected!.mimeType,
      kind: sniffer.detected!.kind,
    };
  }

  /** A text piece of the library: its content is stored like any file, as UTF-8 text/plain. */
  async createText(principal: Principal, dto: CreateTextAssetDto): Promise<AssetResponseDto> {
    const id = randomUUID();
    const key = `studio/${principal.workspaceId}/${id}`;
    const bytes = Buffer.from(dto.content, 'utf8');
    if (bytes.length > (await this.remainingBytes(principal.workspaceId))) throw storageQuotaExceeded();
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
      return this.present(asset);
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
    return { data: page.data.map(this.present), pagination: page.pagination };
  }

  async get(workspaceId: string, id: string): Promise<AssetResponseDto> {
    return this.present(await this.find(workspaceId, id));
  }

  async update(workspaceId: string, id: string, dto: UpdateAssetDto): Promise<AssetResponseDto> {
    const asset = await this.find(workspaceId, id);
    if (dto.title !== undefined) asset.title = dto.title;
    if (dto.tags !== undefined) asset.tags = [...new Set(dto.tags.map((t) => t.trim()).filter(Boolean))];
    if (dto.folder !== undefined) asset.folder = dto.folder;
    return this.present(await this.repository.save(asset));
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    const asset = await this.find(workspaceId, id);
    if (await this.repository.delete(workspaceId, id)) await this.removeFiles(asset.storageKey);
  }

  /** Bytes stored by the workspace (billing shows it against the plan's storage limit). */
  storageUsed(workspaceId: string): Promise<number> {
    return this.repository.usedBytes(workspaceId);
  }

  /** The asset's file, or the Range of it the client asked (seeking in a player); 416 for a range past its end. */
  async download(workspaceId: string, id: string, rangeHeader?: string): Promise<AssetFile> {
    return this.fileOf(await this.find(workspaceId, id), rangeHeader);
  }

  private async fileOf(asset: StudioAssetEntity, rangeHeader?: string): Promise<AssetFile> {
    const size = await this.storage.size(asset.storageKey);
    if (size === null) throw new AppException(HttpStatus.NOT_FOUND, 'ASSET_FILE_MISSING', 'The asset’s file is gone');
    const range = parseRange(rangeHeader, size);
    if (range === 'unsatisfiable') {
      throw new AppException(
        HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
        'RANGE_NOT_SATISFIABLE',
        `The range starts past the end of the file (${size} bytes)`,
        [{ field: 'range', message: `bytes */${size}` }],
      );
    }
    return {
      stream: await this.storage.read(asset.storageKey, range ?? undefined),
      size,
      range,
      contentType: asset.kind === 'text' ? `${asset.mimeType}; charset=utf-8` : asset.mimeType,
      fileName: asset.originalName,
      disposition: 'inline',
    };
  }

  /** The asset's thumbnail (WebP for images, JPEG poster for videos); 404 ASSET_THUMBNAIL_NOT_FOUND when none. */
  async thumbnail(workspaceId: string, id: string): Promise<AssetFile> {
    return this.thumbnailOf(await this.find(workspaceId, id));
  }

  private async thumbnailOf(asset: StudioAssetEntity): Promise<AssetFile> {
    const size = asset.thumbnailKey ? await this.storage.size(asset.thumbnailKey) : null;
    if (!asset.thumbnailKey || size === null) {
      throw notFound('ASSET_THUMBNAIL_NOT_FOUND', 'This asset has no thumbnail');
    }
    return {
      stream: await this.storage.read(asset.thumbnailKey),
      size,
      range: null,
      contentType: String(asset.metadata?.thumbnailType ?? 'image/webp'),
      fileName: `${asset.id}-thumbnail`,
      disposition: 'inline',
    };
  }

  private async find(workspaceId: string, id: string): Promise<StudioAssetEntity> {
    const asset = await this.repository.find(workspaceId, id);
    if (!asset) throw notFound('ASSET_NOT_FOUND', 'No such asset in this workspace');
    return asset;
  }
}

export const storageQuotaExceeded = () =>
  new AppException(
    HttpStatus.PAYLOAD_TOO_LARGE,
    'STORAGE_QUOTA_EXCEEDED',
    'The workspace’s storage quota is used up: delete assets or move to a larger plan',
  );

import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type AssetKind = 'image' | 'video' | 'audio' | 'document' | 'text';

/** One file the studio holds for a workspace; its bytes live in AssetStorage under `storageKey`. */
@Entity('studio_assets')
// The library, newest first, the id breaking ties (keyset paging, both directions).
@Index('IDX_studio_assets_list_created', ['workspaceId', 'createdAt', 'id'])
// Trigram indexes for the library's `q` (ILIKE '%…%' on title or original name): created by migration
// list-audit-indexes.
@Index('IDX_studio_assets_title_trgm', { synchronize: false })
@Index('IDX_studio_assets_original_name_trgm', { synchronize: false })
export class StudioAssetEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'uuid', nullable: true }) createdById: string | null;
  @Column({ type: 'varchar', length: 255 }) title: string;
  @Column({ type: 'varchar', length: 255 }) originalName: string;
  @Column({ type: 'varchar', length: 255, nullable: true }) folder: string | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) tags: string[];
  @Column({ type: 'varchar', length: 16 }) kind: AssetKind;
  @Column({ type: 'varchar', length: 100 }) mimeType: string;
  // Sizes fit a JS number; pg returns bigint as a string, hence the transformer.
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) size: number;
  @Column({ type: 'varchar', length: 500 }) storageKey: string;
  /** What produced it: upload, text, ai-image, tts, subtitles, composition. */
  @Column({ type: 'varchar', length: 16, default: 'upload' }) source: string;
  /** The job that produced it (AI media, composition); null for uploads. */
  @Column({ type: 'uuid', nullable: true }) jobId: string | null;
  // Read from the file itself (ffprobe, sharp), never from the client.
  @Column({ type: 'int', nullable: true }) width: number | null;
  @Column({ type: 'int', nullable: true }) height: number | null;
  @Column({ type: 'double precision', nullable: true }) durationSeconds: number | null;
  /** Container, bit rate, streams and codecs, EXIF summary: see AssetMetadata. */
  @Column({ type: 'jsonb', default: () => "'{}'" }) metadata: Record<string, unknown>;
  /** Thumbnail (image) or poster (video) in AssetStorage; null when there is none (audio, documents). */
  @Column({ type: 'varchar', length: 500, nullable: true }) thumbnailKey: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

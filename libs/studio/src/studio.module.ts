import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StudioAssetEntity } from './studio-asset.entity';
import { AssetStorage, assetStorageProvider } from './asset-storage';
import { IdentityModule } from '@crescendo/identity';
import { StudioAssetsRepository } from './studio-assets.repository';
import { StudioController } from './studio.controller';
import { ContentCreationAssetsController, ContentLibraryController } from './content-library.controller';
import { StudioPersonalData } from './studio-personal-data.provider';
import { StudioService } from './studio.service';
import { TrackedJobsModule } from '@crescendo/jobs';
import { CompositionController } from './composition.controller';
import { CompositionHandler } from './composition.handler';
import { CompositionService } from './composition.service';

/** The content and media studio: the workspace's asset library on a pluggable storage driver, and ffmpeg compositions. */
@Module({
  imports: [TypeOrmModule.forFeature([StudioAssetEntity]), IdentityModule, TrackedJobsModule],
  controllers: [StudioController, CompositionController, ContentLibraryController, ContentCreationAssetsController],
  providers: [
    StudioPersonalData,
    StudioService,
    StudioAssetsRepository,
    CompositionService,
    CompositionHandler,
    assetStorageProvider,
  ],
  exports: [StudioService, AssetStorage],
})
export class StudioModule {}

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

/** The content and media studio: the workspace's asset library on a pluggable storage driver. */
@Module({
  imports: [TypeOrmModule.forFeature([StudioAssetEntity]), IdentityModule],
  controllers: [StudioController, ContentLibraryController, ContentCreationAssetsController],
  providers: [StudioPersonalData, StudioService, StudioAssetsRepository, assetStorageProvider],
  exports: [StudioService, AssetStorage],
})
export class StudioModule {}

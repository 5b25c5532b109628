import { Module } from '@nestjs/common';
import { AssetStorage, LocalAssetStorage } from './asset-storage';
import { StudioAssetsRepository } from './studio-assets.repository';
import { StudioController } from './studio.controller';
import { StudioService } from './studio.service';

/** The content and media studio: the workspace's asset library on a pluggable storage driver. */
@Module({
  controllers: [StudioController],
  providers: [StudioService, StudioAssetsRepository, { provide: AssetStorage, useClass: LocalAssetStorage }],
  exports: [StudioService, AssetStorage],
})
export class StudioModule {}

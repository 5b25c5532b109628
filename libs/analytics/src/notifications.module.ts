import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SettingsModule } from '@crescendo/settings';
import { NotificationEntity } from './notification.entity';
import { NotificationsFeeder } from './notifications.feeder';
import { NotificationsService } from './notifications.service';

/** In-app notifications: the table, the service, and the domain-event feeder the worker runs. */
@Module({
  imports: [TypeOrmModule.forFeature([NotificationEntity]), SettingsModule],
  providers: [NotificationsService, NotificationsFeeder],
  exports: [NotificationsService],
})
export class NotificationsModule {}

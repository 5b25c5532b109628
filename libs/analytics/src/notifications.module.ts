import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@crescendo/identity';
import { MailModule } from '@crescendo/platform';
import { SettingsModule } from '@crescendo/settings';
import { NotificationEntity } from './notification.entity';
import { NotificationsDigestService } from './notifications-digest.service';
import { NotificationsFeeder } from './notifications.feeder';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { NotificationsPersonalData } from './notifications-personal-data.provider';

/** In-app notifications: the table, the service, the domain-event feeder and the e-mail digest the worker runs. */
@Module({
  imports: [TypeOrmModule.forFeature([NotificationEntity]), SettingsModule, IdentityModule, MailModule],
  providers: [
    NotificationsRepository,
    NotificationsService,
    NotificationsFeeder,
    NotificationsDigestService,
    NotificationsPersonalData,
  ],
  exports: [NotificationsService],
})
export class NotificationsModule {}

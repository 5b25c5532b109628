import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailOutboxEntity } from './mail-outbox.entity';
import { MailService } from './mail.service';
import { MailPersonalData } from './mail-personal-data.provider';

@Module({
  imports: [TypeOrmModule.forFeature([MailOutboxEntity])],
  providers: [MailPersonalData, MailService],
  exports: [MailService],
})
export class MailModule {}

export * from './gdpr.module';
export * from './gdpr.dto';
export * from './gdpr-export.service';
export * from './gdpr-erasure.service';
export * from './consent.service';
export { ConsentPurpose, consentPurposes } from './consent-record.entity';
export * from './retention.service';
export * from './gdpr.jobs';

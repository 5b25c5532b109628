export enum InboundSource {
  Leads = 'leads',
  Campaigns = 'campaigns',
}

export enum InboundStatus {
  Accepted = 'accepted',
  Duplicate = 'duplicate',
  Rejected = 'rejected',
}

export enum AttemptStatus {
  Succeeded = 'succeeded',
  Retrying = 'retrying',
  Failed = 'failed',
}

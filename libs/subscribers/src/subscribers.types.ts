/** Subscriber and earning enums, shared with other features through the barrel. */

export enum SubscriberPlatform {
  OnlyFans = 'onlyfans',
  Fansly = 'fansly',
  Patreon = 'patreon',
  Fanvue = 'fanvue',
  Mym = 'mym',
  Other = 'other',
}
export const subscriberPlatforms = Object.values(SubscriberPlatform);

export enum SubscriberStatus {
  Active = 'active',
  Expired = 'expired',
  Cancelled = 'cancelled',
  Paused = 'paused',
}
export const subscriberStatuses = Object.values(SubscriberStatus);

export enum EarningType {
  Subscription = 'subscription',
  Tip = 'tip',
  Message = 'message',
  PayPerView = 'pay_per_view',
  Other = 'other',
  /** The only type with a negative amount: money given back. */
  Refund = 'refund',
}
export const earningTypes = Object.values(EarningType);

import type { EarningDto } from '@crescendo/api-client';
import { humanize, type Option } from '../../components';
import { valuesOf } from '../../enums';
import { i18n } from '../../i18n';

export type EarningType = EarningDto['type'];
export const TYPES = valuesOf<EarningType>()('subscription', 'tip', 'message', 'pay_per_view', 'other', 'refund');
export const typeLabel = (type: string) =>
  i18n.exists(`earnings.types.${type}`) ? i18n.t(`earnings.types.${type}`) : humanize(type);
/** Labels read at render time, in the UI's language. */
export const TYPE_OPTIONS: Option[] = TYPES.map((type) => ({
  value: type,
  get label() {
    return typeLabel(type);
  },
}));

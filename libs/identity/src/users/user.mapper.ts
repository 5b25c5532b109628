import type { UserSummaryDto } from '../auth/auth.dto';
import type { UserEntity } from './user.entity';

export function toUserSummary(user: UserEntity): UserSummaryDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    subscription: user.subscription,
    createdAt: user.createdAt.toISOString(),
  };
}

import type { UserSummaryDto } from '../auth/auth.dto';
import type { UserEntity } from './user.entity';

/** `plan`: the plan of the workspace the session is in, when known (else the user's own workspace's). */
export function toUserSummary(user: UserEntity, plan?: string): UserSummaryDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    subscription: plan ?? user.subscription,
    createdAt: user.createdAt.toISOString(),
  };
}

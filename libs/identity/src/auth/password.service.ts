import { Injectable } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';

/** argon2id with OWASP's recommended floor (19 MiB, 2 passes). */
@Injectable()
export class PasswordService {
  hash(password: string): Promise<string> {
    return hash(password, { type: argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  }

  async verify(storedHash: string | null, password: string): Promise<boolean> {
    if (!storedHash) return false;
    try {
      return await verify(storedHash, password);
    } catch {
      return false;
    }
  }
}

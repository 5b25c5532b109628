import { Injectable, OnModuleInit } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';
import { randomBytes } from 'node:crypto';

const PARAMS = { type: argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** argon2id with OWASP's recommended floor (19 MiB, 2 passes). */
@Injectable()
export class PasswordService implements OnModuleInit {
  /** Verified instead when there is no hash (unknown e-mail, password-less account), so both take as long. */
  private dummyHash?: Promise<string>;

  onModuleInit(): void {
    // Ready before the first unknown e-mail, which would otherwise also pay for hashing it.
    this.dummyHash ??= this.hash(randomBytes(32).toString('base64'));
  }

  hash(password: string): Promise<string> {
    return hash(password, PARAMS);
  }

  async verify(storedHash: string | null, password: string): Promise<boolean> {
    if (!storedHash) {
      this.dummyHash ??= this.hash(randomBytes(32).toString('base64'));
      await verify(await this.dummyHash, password).catch(() => false);
      return false;
    }
    try {
      return await verify(storedHash, password);
    } catch {
      return false;
    }
  }
}

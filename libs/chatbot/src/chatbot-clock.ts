import { Injectable } from '@nestjs/common';

/**
 * The chatbot's notion of "now" (message times, active hours, cooldowns, {{time}}). Real time unless a
 * test pins it with `set()`: active-hours and cooldown cases need a fixed, movable clock.
 */
@Injectable()
export class ChatbotClock {
  private fixed: Date | null = null;

  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }

  /** Pins the clock (tests); null returns to real time. */
  set(at: Date | null): void {
    this.fixed = at ? new Date(at) : null;
  }
}

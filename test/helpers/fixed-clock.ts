import { ChatbotClock } from '@crescendo/chatbot';

/** The chatbot clock a spec pins and moves (active hours, cooldowns, {{time}}); real time until `set`. */
export class FixedClock extends ChatbotClock {
  private fixed: Date | null = null;

  override now(): Date {
    return this.fixed ? new Date(this.fixed) : super.now();
  }

  /** Pins the clock; null returns to real time. */
  set(at: Date | null): void {
    this.fixed = at ? new Date(at) : null;
  }

  /** For createTestApp: the app's ChatbotClock is this one. */
  get override() {
    return { provide: ChatbotClock, useValue: this };
  }
}

import { Injectable } from '@nestjs/common';

/**
 * The chatbot's notion of "now" (message times, active hours, cooldowns, {{time}}): real time. A provider so
 * that specs can replace it with a fixed, movable clock through Nest's testing module; it has no setter.
 */
@Injectable()
export class ChatbotClock {
  now(): Date {
    return new Date();
  }
}

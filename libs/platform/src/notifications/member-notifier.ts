import { Injectable } from '@nestjs/common';

/** A notification for one member wherever they work (not a workspace's), e.g. a forum mention. */
export interface MemberNotice {
  userId: string;
  /** Stable per cause and recipient (a redelivery or a re-save notifies once). */
  key: string;
  /** Its text is written from `params` in the reader's language (the notifications feature's texts). */
  kind: string;
  params: Record<string, unknown>;
  data: Record<string, unknown>;
  /** The member's own switch (their preferences) that turns it off. */
  preference: 'forumMentions';
}

export interface MemberNotifierSink {
  /** Records it unless the member turned its kind off; answers whether it was recorded. */
  notify(notice: MemberNotice): Promise<boolean>;
}

/**
 * Where features hand notifications for one member (global beside the data source, so the forum need not depend
 * on the notifications feature). Without a sink (a composition root without notifications) nothing is recorded.
 */
@Injectable()
export class MemberNotifier implements MemberNotifierSink {
  private sink: MemberNotifierSink | null = null;

  use(sink: MemberNotifierSink): void {
    this.sink = sink;
  }

  notify(notice: MemberNotice): Promise<boolean> {
    return this.sink ? this.sink.notify(notice) : Promise.resolve(false);
  }
}

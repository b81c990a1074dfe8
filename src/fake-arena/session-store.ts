/** An attachment as the stream bodies carry it (§8.1). */
export interface FakeAttachment {
  name: string;
  contentType: string;
  url: string;
}

/** One message of an evaluation session. */
export interface FakeMessage {
  id: string;
  role: 'system' | 'user' | 'assistant';
  content: string;
  participantPosition: 'a' | 'b' | null;
  modelId: string | null;
  attachments: FakeAttachment[];
  parentMessageIds: string[];
  status: 'pending' | 'success' | 'error';
}

/** An evaluation session as the fake stores it. */
export interface FakeSession {
  id: string;
  ownerId: string;
  mode: string;
  modality: string;
  modelAId: string | null;
  modelBId: string | null;
  messages: FakeMessage[];
  createdAt: number;
}

/** Evaluation sessions and every id ever used (ids are single use, §2.5). */
export class SessionStore {
  readonly sessions = new Map<string, FakeSession>();
  readonly #usedIds = new Set<string>();

  /** Whether any of the ids was used before (or repeats within the list). */
  anyUsed(ids: readonly string[]): boolean {
    const seen = new Set<string>();
    for (const id of ids) {
      const key = id.toLowerCase();
      if (this.#usedIds.has(key) || seen.has(key)) return true;
      seen.add(key);
    }
    return false;
  }

  markUsed(ids: readonly string[]): void {
    for (const id of ids) this.#usedIds.add(id.toLowerCase());
  }

  add(session: FakeSession): void {
    this.sessions.set(session.id, session);
    this.markUsed([session.id, ...session.messages.map((message) => message.id)]);
  }

  get(id: string): FakeSession | undefined {
    return this.sessions.get(id);
  }

  delete(id: string): boolean {
    return this.sessions.delete(id);
  }

  clear(): void {
    this.sessions.clear();
    this.#usedIds.clear();
  }
}

/** Number of user turns in a message list. */
export function countUserTurns(messages: readonly FakeMessage[]): number {
  return messages.filter((message) => message.role === 'user').length;
}

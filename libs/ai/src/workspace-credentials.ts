/** A workspace's own OpenAI (or compatible) credentials: its calls go there instead of the instance's. */
export interface WorkspaceAiCredentials {
  apiKey: string;
  /** null: OpenAI's own API. */
  baseUrl: string | null;
  organization: string | null;
}

/**
 * Where the AI layer reads a workspace's own key. Settings implements it; the AI layer knows nothing else of
 * settings. Implementations answer quickly (they cache) since every call asks.
 */
export abstract class WorkspaceAiCredentialsSource {
  abstract workspaceAiCredentials(workspaceId: string): Promise<WorkspaceAiCredentials | null>;
}

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

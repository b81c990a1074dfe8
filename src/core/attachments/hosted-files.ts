/** A file for the bridge's own file host. */
export interface HostedFileInput {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

/**
 * The bridge's file host as core sees it (the composition root backs it with the data-dir store
 * and the public base URL): stores a file and tells the URL the arena can fetch it from.
 */
export interface HostedFiles {
  put(file: HostedFileInput): Promise<{ id: string; url: string }>;
}

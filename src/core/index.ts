/**
 * Core: decisions about workers, conversations, retries and errors, between the OpenAI surface
 * and the arena protocol. The composition root builds these and hands them to src/openai.
 */
export { createChatService } from './chat-service.js';
export { withChatMetrics } from './chat-metrics.js';
export type { ChatServiceDependencies } from './chat-service.js';
export { defaultChatServiceOptions } from './chat-service-options.js';
export type { ChatServiceOptions, EndpointMapping, GenAMode, GlobalIds, ModelsFileEntry } from './chat-service-options.js';
export type {
  ChatAnswer,
  ChatAttachment,
  ChatEvent,
  ChatFinishReason,
  ChatMessage,
  ChatRequest,
  ChatService,
  ModelDirectory,
  ModelListing,
} from './chat-types.js';
export { createModelDirectory } from './model-directory.js';
export type { ArenaModelDirectory, ModelDirectoryOptions, ModelDirectoryStatus, ResolvedModel } from './model-directory.js';
export { createArenaModelFetcher } from './fetch-arena-models.js';
export type { ArenaModelFetcher } from './fetch-arena-models.js';
export { createMemoryConversationStore } from './conversation-store.js';
export type { ConversationRecord, ConversationStore, MemoryConversationStoreOptions } from './conversation-store.js';
export { conversationKey } from './conversation-key.js';
export { matchConversation } from './match-conversation.js';
export type { ConversationMatch } from './match-conversation.js';
export { OVERFLOW_FILE_NAME } from './overflow-prompt.js';
export type { UploadText } from './overflow-prompt.js';
export { createRestingIdPicker } from './resting-id-picker.js';
export type { RestingIdPicker, RestingIdPickerOptions } from './resting-id-picker.js';
export { createGenAIdPicker } from './gen-a-id-picker.js';
export { createCapturedIdPicker } from './captured-id-picker.js';
export type { CapturedIdPickerOptions } from './captured-id-picker.js';
export type { CapturedIdsEntry, CapturedIdsState } from './captured-ids-state.js';
export { createIdCapture } from './id-capture.js';
export type { IdCapture, IdCaptureDependencies, IdCaptureRequest, IdCaptureResult } from './id-capture.js';
export type { GenAIdPicker, GenAIds } from './gen-a-id-picker.js';
export { createHealthReport } from './health-report.js';
export type { HealthPoolSnapshot, HealthReport } from './health-report.js';
export { toBridgeError, jobFailureToBridgeError } from './to-bridge-error.js';
export type { WorkerLease, WorkerOutcome, WorkerSource, WorkerSourceEntry } from './worker-source.js';
export { createWorkerPool } from './worker-pool.js';
export type { AcquireOptions, PooledWorkerSnapshot, WorkerPool, WorkerPoolOptions, WorkerPoolSnapshot } from './worker-pool.js';
export { createAttachmentUploader } from './attachments/attachment-uploader.js';
export type { AttachmentUploader, AttachmentUploaderOptions, LoadedAttachment } from './attachments/attachment-uploader.js';
export { createAttachmentPreparer } from './attachments/prepare-attachments.js';
export type { AttachmentPreparer, AttachmentPreparerOptions, PreparedAttachments } from './attachments/prepare-attachments.js';
export { createFileBedClient } from './attachments/file-bed-client.js';
export type { FileBedClient, FileBedOptions } from './attachments/file-bed-client.js';
export type { HostedFileInput, HostedFiles } from './attachments/hosted-files.js';
export { createGeneratedImageSaver } from './attachments/save-generated-images.js';
export type { AnswerBatchRewriter, SavedImagesOptions } from './attachments/save-generated-images.js';
export { createAccountLedger, LONG_RETRY_AFTER_SECONDS } from './accounts/account-ledger.js';
export type { AccountLedger, AccountLedgerOptions } from './accounts/account-ledger.js';
export type { AccountSnapshot, AccountState, AccountStateStore, PersistedAccount } from './accounts/account-types.js';
export { createDirectModeMemory } from './direct-mode.js';
export type { DirectModeMemory, DirectModeValue, SettingSlot } from './direct-mode.js';

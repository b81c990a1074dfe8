/**
 * Core: decisions about workers, conversations, retries and errors, between the OpenAI surface
 * and the arena protocol. The composition root builds these and hands them to src/openai.
 */
export { createChatService } from './chat/chat-service.js';
export type { ChatServiceDependencies } from './chat/chat-service.js';
export { defaultChatServiceOptions } from './chat/chat-service-options.js';
export type { ChatServiceOptions, EndpointMapping, GenAMode, GlobalIds, ModelsFileEntry } from './chat/chat-service-options.js';
export type {
  ChatAnswer,
  ChatAttachment,
  AnswerEvent,
  FinishReason,
  ChatMessage,
  ChatRequest,
  ChatService,
  ModelDirectory,
  ModelListing,
} from './chat/chat-types.js';
export { createModelDirectory } from './models/model-directory.js';
export type { ArenaModelDirectory, ModelDirectoryOptions, ModelDirectoryStatus, ResolvedModel } from './models/model-directory.js';
export { createArenaModelFetcher } from './models/fetch-arena-models.js';
export type { ArenaModelFetcher } from './models/fetch-arena-models.js';
export { createMemoryConversationStore } from './conversation/conversation-store.js';
export type { ConversationRecord, ConversationStore, MemoryConversationStoreOptions } from './conversation/conversation-store.js';
export { conversationKey } from './conversation/conversation-key.js';
export { matchConversation } from './conversation/match-conversation.js';
export type { ConversationMatch } from './conversation/match-conversation.js';
export { OVERFLOW_FILE_NAME } from './conversation/overflow-file.js';
export type { UploadText } from './conversation/overflow-file.js';
export { createRestingIdPicker } from './captured-ids/resting-id-picker.js';
export type { RestingIdPicker, RestingIdPickerOptions } from './captured-ids/resting-id-picker.js';
export { createGenAIdPicker } from './captured-ids/gen-a-id-picker.js';
export { createCapturedIdPicker } from './captured-ids/captured-id-picker.js';
export type { CapturedIdPickerOptions } from './captured-ids/captured-id-picker.js';
export type { CapturedIdsEntry, CapturedIdsState } from './captured-ids/captured-ids-state.js';
export { createIdCapture } from './captured-ids/id-capture.js';
export type { IdCapture, IdCaptureDependencies, IdCaptureRequest, IdCaptureResult } from './captured-ids/id-capture.js';
export type { GenAIdPicker, GenAIds } from './captured-ids/gen-a-id-picker.js';
export { createHealthReport } from './health-report.js';
export type { HealthPoolSnapshot, HealthReport } from './health-report.js';
export { createWorkerPool } from './pool/worker-pool.js';
export type { AcquireOptions, PooledWorkerSnapshot, WorkerLease, WorkerOutcome, WorkerPool, WorkerPoolOptions, WorkerPoolSnapshot } from './pool/worker-pool.js';
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
export { createDirectModeMemory } from './conversation/direct-mode.js';
export type { DirectModeMemory, DirectModeValue, SettingSlot } from './conversation/direct-mode.js';

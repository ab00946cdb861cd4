/**
 * Lengths and counts shared by forms, schemas and columns. Change them here only.
 */
export const limits = {
  username: { min: 3, max: 40 },
  email: { max: 254 },
  password: { min: 10, max: 1_000 },
  pseudName: { min: 1, max: 40 },
  pseudsPerUser: 50,
  workTitle: { min: 1, max: 255 },
  workSummary: { max: 1_250 },
  workNotes: { max: 5_000 },
  userTagsPerWork: 75,
  tagName: { max: 150 },
  chapterTitle: { max: 255 },
  chapterText: { min: 10, max: 510_000 },
  chapterSummary: { max: 1_250 },
  chapterNotes: { max: 5_000 },
  chaptersPerWork: 1_000,
  expectedChapters: { max: 1_000 },
  /** Largest accepted request body, except on the forms that carry a chapter. */
  bodyBytes: 2 * 1024 * 1024,
  /**
   * Largest body of the work and chapter forms: every field at its limit in 4-byte characters
   * (emoji, CJK extension B), each percent-encoded as 12 bytes, is about 6.4 MB; the rest is room.
   */
  postingBodyBytes: 8 * 1024 * 1024,
  pageSize: 20,
  excludedTags: 200,
  mutedUsers: 500,
  blockedUsers: 1_000,
  savedSearches: 100,
  bookmarkNotes: { max: 5_000 },
  /** The bookmarker's own tags on one bookmark. */
  bookmarkTags: 75,
  maxPage: 5_000,
  commentText: { max: 10_000 },
  /** Guests sign their comments with a name (column size). */
  commentGuestName: { max: 100 },
  /** Threads (first-level comments) per page of comments. */
  commentThreadsPerPage: 20,
  /** A collection's address, /collections/NAME: letters, digits and underscores (issue 15). */
  collectionName: { min: 1, max: 255 },
  collectionTitle: { min: 1, max: 255 },
  collectionDescription: { max: 1_250 },
  collectionRules: { max: 5_000 },
  /** Collections named at once in a work's "Post to Collections" field. */
  collectionsPerWork: 25,
  /** Names in a work's "Gift this work to" field, and each name's length (issue 15). */
  giftRecipients: 20,
  giftRecipientName: { max: 100 },
  /** A related work elsewhere: its address, and the author typed for it (issue 15). */
  relatedUrl: { max: 2_000 },
  relatedAuthor: { max: 100 },
} as const;

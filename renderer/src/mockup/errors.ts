/**
 * A mockup request the caller can fix: bad frames, effect config, creative count, or an image
 * that is not a readable JPEG/PNG/WebP. Job runners report its message to the requester as is;
 * any other error is a renderer fault.
 */
export class MockupInputError extends Error {
  readonly code = 'MOCKUP_BAD_INPUT';

  constructor(message: string) {
    super(message);
    this.name = 'MockupInputError';
  }
}

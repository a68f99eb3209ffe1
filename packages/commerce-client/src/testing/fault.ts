/** Magento's error body: `message` with `%1`/`%name` placeholders filled from `parameters`. */
export interface MagentoErrorBody {
  message: string;
  parameters?: unknown[] | Record<string, unknown>;
  errors?: { message: string; parameters?: unknown[] | Record<string, unknown> }[];
  code?: number;
  trace?: string | null;
}

/** Thrown inside emulator handlers; becomes a Magento error response. */
export class MagentoFault extends Error {
  readonly status: number;
  readonly body: MagentoErrorBody;

  constructor(
    status: number,
    message: string,
    parameters?: unknown[] | Record<string, unknown>,
    extra?: Omit<MagentoErrorBody, 'message' | 'parameters'>,
  ) {
    super(message);
    this.status = status;
    this.body = { message, ...(parameters === undefined ? {} : { parameters }), ...extra };
  }
}

export const MESSAGES = {
  unauthorized: "The consumer isn't authorized to access %resources.",
  badCredentials:
    'The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.',
  noRoute: 'The request does not match any route.',
  productMissing: "The product that was requested doesn't exist. Verify the product and try again.",
  entityMissing: "The entity that was requested doesn't exist. Verify the entity and try again.",
  noSuchEntity: 'No such entity with %fieldName = %fieldValue',
  required: '"%fieldName" is required. Enter and try again.',
  tooManyRequests: 'Too Many Requests',
} as const;

export function notFoundEntity(fieldName: string, fieldValue: unknown): MagentoFault {
  // Magento passes the value as it was typed (an integer id stays a JSON number).
  return new MagentoFault(404, MESSAGES.noSuchEntity, { fieldName, fieldValue });
}

export function required(fieldName: string): MagentoFault {
  return new MagentoFault(400, MESSAGES.required, { fieldName });
}

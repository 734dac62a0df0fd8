import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * About 49,000 passwords seen most often in breaches (zxcvbn-ts's common list), lower-cased.
 * Built once at import; a Set lookup per check.
 */
const commonPasswords: ReadonlySet<string> = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

export default commonPasswords;

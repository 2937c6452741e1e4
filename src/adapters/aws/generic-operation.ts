/** Light helpers of the `aws` action, shared by its definition (no SDK here). */
export const AWS_SERVICES = ['ecs', 'rds', 'route53'] as const;
export type AwsService = (typeof AWS_SERVICES)[number];

/** `update-service`, `updateService`, `UpdateService`, `UpdateServiceCommand` → `UpdateService`. */
export function operationName(text: string): string {
  const base = text.trim().replace(/Command$/, '');
  return base
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Operations that only read, by AWS naming convention. */
export const isReadOperation = (operation: string): boolean => /^(Describe|List|Get|Test|Check|Validate)/.test(operationName(operation));

import { ECSClient } from '@aws-sdk/client-ecs';
import { cachedClient, clientSettings, type AwsScope } from '../clients';

export function ecsClient(scope: AwsScope): ECSClient {
  return cachedClient('ecs', clientSettings(scope, 'ECS'), (settings) => new ECSClient(settings));
}

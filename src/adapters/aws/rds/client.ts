import { RDSClient } from '@aws-sdk/client-rds';
import { cachedClient, clientSettings, type AwsScope } from '../clients';

export function rdsClient(scope: AwsScope): RDSClient {
  return cachedClient('rds', clientSettings(scope, 'RDS'), (settings) => new RDSClient(settings));
}

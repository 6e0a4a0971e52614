/** Chinese names of the API's enum values shown in the shell. */
export const LEVEL_LABELS: Record<string, string> = {
  PROVINCE: '省级',
  CITY: '市级',
  COUNTY: '县级',
};

export const ROLE_LABELS: Record<string, string> = {
  registrar: '登记员',
  handler: '承办人',
  leader: '负责人',
  supervisor: '督查员',
  admin: '管理员',
};

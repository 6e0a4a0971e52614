/** Chinese names of the API's enum values shown in the shell. */
export const LEVEL_LABELS: Record<string, string> = {
  PROVINCE: '省级',
  CITY: '市级',
  COUNTY: '县级',
};

export const ROLE_LABELS: Record<string, string> = {
  REGISTRAR: '登记员',
  HANDLER: '承办人',
  LEADER: '负责人',
  SUPERVISOR: '督查员',
  ADMIN: '管理员',
};

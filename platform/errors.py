"""Errors a user can cause: services raise them, GraphQL and the admin show their stable code.

`ErrorCode` is the one catalogue of codes a client can receive in `extensions.code`: every
`ServiceError` carries a member, never a string (tests/test_error_codes.py walks the code and
fails on anything else). Each member has a short English description and the Chinese phrase a
screen shows; GraphQL publishes the catalogue as its `ErrorCode` enum. The values never change:
clients compare them.
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    """Stable error codes, with an English description and the phrase shown on screens."""

    _value_: str
    english: str
    chinese: str

    def __new__(cls, value: str, english: str, chinese: str) -> "ErrorCode":
        member = str.__new__(cls, value)
        member._value_ = value
        member.english = english
        member.chinese = chinese
        return member

    @property
    def description(self) -> str:
        return f"{self.english} ({self.chinese})"

    # --- generic ------------------------------------------------------------------------------
    SERVICE_ERROR = "SERVICE_ERROR", "the request could not be carried out", "操作未能完成"
    INVALID_INPUT = "INVALID_INPUT", "a value is not valid", "输入有误"
    REQUIRED = "REQUIRED", "a required value is missing", "必填项不能为空"
    PERMISSION_DENIED = "PERMISSION_DENIED", "the officer lacks the role this needs", "无权操作"
    NOT_FOUND = "NOT_FOUND", "no such object here", "未找到"
    CONFLICT = "CONFLICT", "the object changed or conflicts with another", "数据冲突"
    INVALID_STATE = (
        "INVALID_STATE",
        "the object's state does not allow this",
        "当前状态不允许此操作",
    )
    INVALID_DUE_DATE = "INVALID_DUE_DATE", "the deadline must lie ahead", "期限须晚于今天"
    IDEMPOTENCY_KEY_REUSED = (
        "IDEMPOTENCY_KEY_REUSED",
        "the idempotency key was used for another request",
        "幂等键已用于其他请求",
    )
    DATE_IN_FUTURE = "DATE_IN_FUTURE", "the date lies in the future", "日期不能晚于今天"
    DATE_OUT_OF_RANGE = (
        "DATE_OUT_OF_RANGE",
        "the date lies outside the period it belongs to",
        "日期超出允许范围",
    )
    THROTTLED = "THROTTLED", "too many attempts; try again later", "尝试次数过多，请稍后再试"
    TOO_LONG = (
        "TOO_LONG",
        "the text is longer than its field allows (the limit is in extensions.maxLength)",
        "内容过长",
    )
    INVALID_CHARACTERS = (
        "INVALID_CHARACTERS",
        "the text holds a NUL or another control character",
        "内容含有不允许的控制字符",
    )
    VALUE_OUT_OF_RANGE = (
        "VALUE_OUT_OF_RANGE",
        "the number is outside the range the field allows",
        "数值超出允许范围",
    )

    # --- accounts -----------------------------------------------------------------------------
    NOT_AUTHENTICATED = "NOT_AUTHENTICATED", "log in first", "请先登录"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS", "wrong username or password", "用户名或密码错误"
    INVALID_TOKEN = "INVALID_TOKEN", "the API token is not valid", "API 令牌无效"
    INVALID_ROLE = "INVALID_ROLE", "unknown role", "角色无效"
    INVALID_SCOPE = (
        "INVALID_SCOPE",
        "a token scope the officer does not hold",
        "令牌权限超出本人角色",
    )
    DUPLICATE_USERNAME = "DUPLICATE_USERNAME", "the username is taken", "用户名已被占用"
    WEAK_PASSWORD = (
        "WEAK_PASSWORD",
        "the password is too short, too common, all digits or too like the username",
        "密码强度不足（至少10位，不能过于常见、全为数字或与用户名相近）",
    )
    NOT_AN_OFFICE = "NOT_AN_OFFICE", "this needs an office host", "须在信访部门站点操作"

    # --- petitions (cases) --------------------------------------------------------------------
    INVALID_TRANSITION = (
        "INVALID_TRANSITION",
        "the petition's status does not allow this step",
        "信访件当前状态不允许此操作",
    )
    STALE_VERSION = (
        "STALE_VERSION",
        "the petition changed since it was loaded; reload",
        "信访件已被他人修改，请刷新后重试",
    )
    INVALID_CHANNEL = "INVALID_CHANNEL", "unknown channel", "信访渠道无效"
    INVALID_CATEGORY = "INVALID_CATEGORY", "unknown category", "问题类别无效"
    INVALID_ID_NUMBER = "INVALID_ID_NUMBER", "the ID number is not valid", "身份证号码无效"
    INVALID_PHONE = "INVALID_PHONE", "a phone number has 5 to 15 digits", "电话号码无效"
    TOO_MANY_REPRESENTATIVES = (
        "TOO_MANY_REPRESENTATIVES",
        "a collective petition has at most 5 representatives",
        "集体访代表不得超过5人",
    )
    INVALID_REDIRECT_CHANNEL = (
        "INVALID_REDIRECT_CHANNEL",
        "unknown channel to redirect the petitioner to",
        "告知的途径无效",
    )
    INVALID_HANDLER = (
        "INVALID_HANDLER",
        "the handler must be an active officer with the handler role",
        "承办人须为在职的承办人员",
    )
    EXTENSION_TOO_LONG = "EXTENSION_TOO_LONG", "the extension is too long", "延期天数超出上限"
    ALREADY_EXTENDED = "ALREADY_EXTENDED", "a petition is extended only once", "已延期过一次"
    NOT_THE_HANDLER = (
        "NOT_THE_HANDLER",
        "only the handler or a leader may reply",
        "仅承办人或领导可出具意见",
    )
    INVALID_SATISFACTION = "INVALID_SATISFACTION", "unknown satisfaction", "满意度选项无效"
    NOT_RATED_HERE = (
        "NOT_RATED_HERE",
        "the petitioner rates the office that first handled the matter",
        "谁初次办理、谁接受评价",
    )
    REPRESENTATIVES_REQUIRED = (
        "REPRESENTATIVES_REQUIRED",
        "more than 5 people must name 1 to 5 representatives",
        "多人集体访须推选代表（不超过5人）",
    )
    INVALID_ACCUSED_KIND = (
        "INVALID_ACCUSED_KIND",
        "unknown kind of accused body",
        "被检举控告对象类别无效",
    )
    UNKNOWN_DIVISION = (
        "UNKNOWN_DIVISION",
        "not an administrative division (GB/T 2260)",
        "不是有效的行政区划",
    )
    HOLIDAY_CALENDAR_NOT_COVERED = (
        "HOLIDAY_CALENDAR_NOT_COVERED",
        "the national holiday calendar does not cover that year yet",
        "该年度国家节假日安排尚未载入，无法计算期限",
    )
    INVALID_HOLIDAY_NOTICE = (
        "INVALID_HOLIDAY_NOTICE",
        "not a holiday notice file",
        "节假日安排文件格式有误",
    )
    INVALID_CURSOR = "INVALID_CURSOR", "the page cursor is not valid", "分页游标无效"
    INVALID_PAGINATION = "INVALID_PAGINATION", "ask for first or last, not both", "分页参数无效"
    PAGE_SIZE_EXCEEDED = "PAGE_SIZE_EXCEEDED", "too many items asked per page", "每页条数超出上限"

    # --- between offices (exchange) -----------------------------------------------------------
    INVALID_HANDOFF = "INVALID_HANDOFF", "the handoff cannot be made", "无法办理该转交"
    NOT_VISIBLE = "NOT_VISIBLE", "this office may not see or act on it", "本机关无权查看或办理"
    MATTER_TERMINATED = (
        "MATTER_TERMINATED",
        "the matter was terminated after re-review",
        "该信访事项已终结，不再受理",
    )
    NO_TERMINATED_MATTER = (
        "NO_TERMINATED_MATTER",
        "no matter terminated after re-review is linked or named",
        "该件未关联已终结的信访事项",
    )
    NOT_RE_REVIEWED = (
        "NOT_RE_REVIEWED",
        "the matter has no re-review (复核) opinion by that reference: only it terminates a matter",
        "该事项没有该编号的复核意见，不能终结",
    )
    DUPLICATE_HANDOFF = (
        "DUPLICATE_HANDOFF",
        "this petition already has a handoff under way",
        "该信访件已有未办结的转交",
    )
    INVALID_RECEIVER = "INVALID_RECEIVER", "this office cannot receive it", "接收机关不符合规定"
    REASON_REQUIRED = "REASON_REQUIRED", "say why", "请填写理由"
    NOT_SKIP_LEVEL = "NOT_SKIP_LEVEL", "this is not a skip-level petition", "该件不是越级访"
    NOT_COMPETENT_DEADLINE_PASSED = (
        "NOT_COMPETENT_DEADLINE_PASSED",
        "the 5 working days to object have passed",
        "异议期限（5个工作日）已过",
    )
    NOT_DECIDER = (
        "NOT_DECIDER",
        "this office does not decide this objection",
        "本机关不是异议决定机关",
    )
    WRONG_REVIEW_OFFICE = (
        "WRONG_REVIEW_OFFICE",
        "a review goes to the office one level above",
        "复查（复核）应向上一级机关提出",
    )
    REVIEW_WINDOW_CLOSED = (
        "REVIEW_WINDOW_CLOSED",
        "the 30 days to ask for review have passed",
        "申请复查（复核）的30日期限已过",
    )
    ALREADY_REQUESTED = "ALREADY_REQUESTED", "it was already requested", "已提出过申请"
    NOT_A_HANDLING_OPINION = (
        "NOT_A_HANDLING_OPINION",
        "a review (复查) contests a handling opinion, not a review opinion",
        "复查须针对处理意见，对复查意见不服应申请复核",
    )
    PETITIONER_NOT_VERIFIED = (
        "PETITIONER_NOT_VERIFIED",
        "the petitioner's query code or verified identity is needed",
        "须由信访人本人提出（查询码或核验身份）",
    )
    NOT_A_REVIEW = "NOT_A_REVIEW", "a re-review refers to a review opinion", "复核须针对复查意见"
    NOT_REPLIED = "NOT_REPLIED", "no opinion has been issued yet", "尚未出具意见"

    # --- supervision --------------------------------------------------------------------------
    INVALID_ORDER = "INVALID_ORDER", "the supervision order cannot be issued", "督办单无效"
    INVALID_REASON = "INVALID_REASON", "unknown supervision reason", "督办事由无效"
    NOT_OVERDUE = (
        "NOT_OVERDUE",
        "an overdue order needs a petition past its deadline",
        "该件未逾期，不能以逾期督办",
    )

    # --- offices (tenants) --------------------------------------------------------------------
    INVALID_DIVISION_CODE = (
        "INVALID_DIVISION_CODE",
        "not a GB/T 2260 division code",
        "行政区划代码无效",
    )
    INVALID_LEVEL = "INVALID_LEVEL", "unknown office level", "机关层级无效"
    LEVEL_MISMATCH = "LEVEL_MISMATCH", "the code does not match the level", "区划代码与层级不符"
    INVALID_PARENT = "INVALID_PARENT", "the parent office does not fit", "上级机关不符合规定"
    UNKNOWN_PARENT = "UNKNOWN_PARENT", "no such parent office", "上级机关不存在"
    DUPLICATE_OFFICE = "DUPLICATE_OFFICE", "the office already exists", "该机关已存在"
    DUPLICATE_DOMAIN = "DUPLICATE_DOMAIN", "the host already belongs to an office", "该域名已被使用"
    INVALID_NAME = "INVALID_NAME", "an office needs a name", "机关名称不能为空"
    INVALID_HOST = "INVALID_HOST", "not a valid host name", "域名无效"
    DIVISION_GROUPING = (
        "DIVISION_GROUPING",
        "a statistical grouping (市辖区, 省直辖县级行政区划) has no office",
        "该代码为统计分组，不设信访部门",
    )

    # --- backups and office moves -------------------------------------------------------------
    INVALID_ARCHIVE = (
        "INVALID_ARCHIVE",
        "the file is not an office archive this platform can import",
        "不是可导入的信访部门归档文件",
    )

    # --- search -------------------------------------------------------------------------------
    SEARCH_UNAVAILABLE = (
        "SEARCH_UNAVAILABLE",
        "search is unavailable for now",
        "检索服务暂不可用，请稍后再试",
    )
    ALREADY_REPEAT = (
        "ALREADY_REPEAT",
        "already confirmed as a repeat of another matter",
        "已确认为其他事项的重复信访",
    )
    QUERY_TOO_LONG = "QUERY_TOO_LONG", "the search text is too long", "检索内容过长"
    INVALID_PAGE = "INVALID_PAGE", "page out of range", "页码超出范围"

    # --- resolving matters (resolution) -------------------------------------------------------
    INVALID_CHOICE = "INVALID_CHOICE", "not one of the allowed values", "选项无效"
    OFFICER_OF_ANOTHER_OFFICE = (
        "OFFICER_OF_ANOTHER_OFFICE",
        "only officers of this office can take part",
        "只能选择本机关的工作人员",
    )
    LEADER_REQUIRED = (
        "LEADER_REQUIRED",
        "a leader must take part (appointment visit, reception, 包案)",
        "须由领导参加或负责",
    )
    SESSION_REQUIRED = (
        "SESSION_REQUIRED",
        "a reception visit belongs to a reception session",
        "领导接访须对应接访日安排",
    )
    BODIES_REQUIRED = (
        "BODIES_REQUIRED",
        "a joint reception names the other bodies taking part",
        "联合接访须列明参加单位",
    )
    OPINION_NOT_ISSUED = (
        "OPINION_NOT_ISSUED",
        "this comes after the written opinion, which is not issued yet",
        "尚未出具处理意见",
    )
    OWNER_REQUIRED = "OWNER_REQUIRED", "an action item needs its owner", "事项须明确责任人"
    NOT_THE_OWNER = (
        "NOT_THE_OWNER",
        "only the item's owner or a leader marks it done",
        "只有责任人或领导可以办结该事项",
    )
    EVIDENCE_REQUIRED = (
        "EVIDENCE_REQUIRED",
        "a done item needs its evidence (a document or a visit)",
        "须提供落实佐证材料或回访记录",
    )
    HARD_CASE_EXISTS = (
        "HARD_CASE_EXISTS",
        "a leader already has this matter in hand",
        "该事项已有领导包案",
    )
    BOTH_SIDES_REQUIRED = (
        "BOTH_SIDES_REQUIRED",
        "an investigation hears the petitioner and the other side",
        "调查须听取信访人和被反映方意见",
    )
    INVESTIGATION_REQUIRED = (
        "INVESTIGATION_REQUIRED",
        "an investigation must come before the written opinion",
        "出具处理意见前须完成调查核实",
    )
    OUTCOME_REQUIRED = (
        "OUTCOME_REQUIRED",
        "every closure records how the matter ended",
        "办结须登记化解结果（四到位）",
    )
    OUTCOME_DETAIL_REQUIRED = (
        "OUTCOME_DETAIL_REQUIRED",
        "the outcome needs its detail (law cited, help given or legal measure)",
        "须写明政策法规依据、帮扶措施或依法处理情况",
    )
    AGREEMENT_REQUIRED = (
        "AGREEMENT_REQUIRED",
        "a mediated closure carries the agreement and its parties",
        "调解结案须附调解协议书及当事各方",
    )
    NOT_TERMINATED = (
        "NOT_TERMINATED",
        "a care plan follows a terminated matter",
        "仅终结事项可制定帮扶计划",
    )

    # --- the petitioners' public site (publicsite) ---------------------------------------------
    FORM_REJECTED = (
        "FORM_REJECTED",
        "the form was not accepted (it looked automated)",
        "提交未成功，请稍候片刻再提交",
    )
    FORM_EXPIRED = "FORM_EXPIRED", "the form is too old; submit it again", "页面已过期，请再次提交"
    CONSENT_REQUIRED = (
        "CONSENT_REQUIRED",
        "consent to the processing of personal data is required",
        "请阅读并同意个人信息处理说明",
    )
    INVALID_EMAIL = "INVALID_EMAIL", "not an e-mail address", "电子邮箱格式不正确"
    TOO_MANY_ATTACHMENTS = "TOO_MANY_ATTACHMENTS", "too many attachments", "附件最多5个"
    ATTACHMENT_TOO_LARGE = (
        "ATTACHMENT_TOO_LARGE",
        "an attachment, or all of them together, is too large",
        "附件过大：单个不超过5MB，合计不超过10MB",
    )
    ATTACHMENT_TYPE_NOT_ALLOWED = (
        "ATTACHMENT_TYPE_NOT_ALLOWED",
        "attachments are images (JPEG, PNG, WebP) or PDF, recognised by their content",
        "附件仅限图片（JPG、PNG、WebP）或PDF文件",
    )
    REQUEST_TOO_LARGE = (
        "REQUEST_TOO_LARGE",
        "the request is larger than allowed",
        "提交的内容过大，请减少或压缩附件",
    )

    # --- notices to petitioners (notices) -----------------------------------------------------
    INVALID_TEMPLATE = (
        "INVALID_TEMPLATE",
        "the notice template uses a placeholder that does not exist",
        "告知模板含有无效的占位符",
    )
    NO_ADDRESS = (
        "NO_ADDRESS",
        "a mobile number or an e-mail address is needed to send the notice",
        "请填写手机号码或电子邮箱",
    )
    NOT_A_LETTER = (
        "NOT_A_LETTER",
        "only a notice by post is printed",
        "仅邮寄告知可打印",
    )

    # --- the GraphQL layer --------------------------------------------------------------------
    BAD_REQUEST = "BAD_REQUEST", "the request is not a GraphQL request", "请求格式有误"
    GRAPHQL_VALIDATION_FAILED = (
        "GRAPHQL_VALIDATION_FAILED",
        "the query is not valid against the schema or its limits",
        "查询语句无效",
    )
    CSRF_FAILED = "CSRF_FAILED", "the CSRF token is missing or wrong", "页面已过期，请刷新"
    METHOD_NOT_ALLOWED = (
        "METHOD_NOT_ALLOWED",
        "send this with POST (mutations, and lookups carrying a query code)",
        "请求方式不允许",
    )
    QUERY_TOO_COSTLY = (
        "QUERY_TOO_COSTLY",
        "the query may resolve more objects than a request may: smaller pages, fewer aliases",
        "查询范围过大，请缩小每页条数或减少别名",
    )
    COST_BUDGET_EXHAUSTED = (
        "COST_BUDGET_EXHAUSTED",
        "this office's query budget for the minute is spent; retry after extensions.retryAfter s",
        "本单位查询额度已用完，请稍后再试",
    )
    INTERNAL_ERROR = "INTERNAL_ERROR", "an unexpected error (reported)", "系统错误，请稍后再试"


class ServiceError(Exception):
    code: ErrorCode = ErrorCode.SERVICE_ERROR

    def __init__(
        self, message: str, *, code: ErrorCode | None = None, field: str | None = None, **extra
    ):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.extra = extra


class ValidationError(ServiceError):
    code = ErrorCode.INVALID_INPUT


class PermissionDenied(ServiceError):
    code = ErrorCode.PERMISSION_DENIED


class NotFound(ServiceError):
    code = ErrorCode.NOT_FOUND


class Conflict(ServiceError):
    code = ErrorCode.CONFLICT

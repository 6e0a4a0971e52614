"""The Chinese a petitioner reads for each typed error, and the form field an error belongs to.

Every `ErrorCode` has a phrase in the catalogue (`platform/errors.py`); the codes a petitioner
meets most get a fuller sentence here, saying what to do.
"""

import re

from xinfang.platform.errors import ErrorCode, ServiceError

CONSENT = "请阅读并勾选同意《个人信息处理说明》，否则无法提交"
MOBILE = "手机号码有误：应为以1开头的11位手机号码"

SENTENCES: dict[ErrorCode, str] = {
    ErrorCode.INVALID_ID_NUMBER: "身份证号码有误：应为18位，前17位为数字，末位为数字或X，请核对",
    ErrorCode.INVALID_PHONE: "电话号码有误：应为5至15位数字",
    ErrorCode.INVALID_EMAIL: "电子邮箱格式不正确，请核对（如 name@example.com）",
    ErrorCode.NO_ADDRESS: "请填写手机号码或电子邮箱（至少一项）",
    ErrorCode.INVALID_CATEGORY: "请从列表中选择问题类别",
    ErrorCode.UNKNOWN_DIVISION: "请从列表中选择问题发生地",
    ErrorCode.CONSENT_REQUIRED: CONSENT,
    ErrorCode.THROTTLED: "提交或查询过于频繁，请稍后再试",
    ErrorCode.NOT_FOUND: "编号或查询码不正确，请核对后重新输入",
    ErrorCode.FORM_EXPIRED: "页面已过期：您填写的内容已保留，请再次点击提交",
    ErrorCode.FORM_REJECTED: "提交未成功：请稍候片刻，确认内容后再次提交",
    ErrorCode.IDEMPOTENCY_KEY_REUSED: (
        "此表单已经提交过。如需反映其他事项，请重新打开网上信访页面填写"
    ),
    ErrorCode.MATTER_TERMINATED: "该事项已经复核终结，以同一事实和理由提出的信访事项不再受理",
    ErrorCode.REVIEW_WINDOW_CLOSED: "已超过申请期限（收到意见书之日起30日内）",
    ErrorCode.ALREADY_REQUESTED: "您已经提出过申请，请耐心等待答复",
    ErrorCode.NOT_REPLIED: "尚未出具书面意见，暂不能申请",
    ErrorCode.INVALID_TRANSITION: "该事项当前状态不能进行此操作",
    ErrorCode.NOT_RATED_HERE: "满意度评价由首次办理的信访部门接受（谁初次办理、谁接受评价）",
    ErrorCode.PETITIONER_NOT_VERIFIED: "查询码不正确，无法确认您是该事项的信访人",
}


def for_error(error: ServiceError, *, label: str = "") -> str:
    """The sentence a petitioner reads for this error (next to `label`'s field when given)."""
    if error.code == ErrorCode.REQUIRED and label:
        return f"请填写{label}"
    if error.code == ErrorCode.TOO_LONG and label:
        return f"{label}过长"
    return for_code(error.code)


def for_code(code: ErrorCode) -> str:
    return SENTENCES.get(code) or code.chinese


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def form_field(field: str | None):
    """Where an error naming `field` goes: ("main", name) on the filing form, ("co", (i, name))
    on the i-th co-petitioner row, or ("main", None) for the whole form."""
    if not field:
        return "main", None
    match = re.fullmatch(r"petitioners\.(\d+)\.(\w+)", field)
    if match:
        index, name = int(match.group(1)), _snake(match.group(2))
        return ("main", name) if index == 0 else ("co", (index - 1, name))
    return "main", _snake(field.split(".")[-1])

"""The JSON API of E线声音 for the person who files: categories, filing (as JSON, or as a form with up to four
photos checked as on the page), their own
items with the whole history and the reply channel, a reply to the handlers' question, the rating — over the same
services and queries as the pages. An item is looked up among the caller's own, so anything else is a 404. A
malformed request is a 422 (the schema says what is allowed); a write the data refuses is a 409, and one over the
filing limit a 429, with the reason."""

from datetime import date, datetime
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Router, Schema
from ninja import Status as Created
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from plaza.lib.conflicts import DATA_REFUSALS, refused_by_data
from plaza.lib.pagination import Pages
from plaza.lib.schemas import BodyIn, responses

from . import queries, services
from .models import TEXT_MAX, Category, Item, Kind
from .services import PLACE_MAX, WORD_MAX

router = Router(tags=["E线声音"])

Id = Annotated[int, Path(ge=1, le=2**62)]


class CategoryOut(Schema):
    id: int
    name: str


class EventOut(Schema):
    title: str
    note: str
    by: str
    at: datetime


class MessageOut(Schema):
    side: str = Field(..., description="handler 处理人 / submitter 提交人")
    text: str
    created_at: datetime


class ItemOut(Schema):
    id: int
    kind: str
    category: str
    text: str
    place: str
    anonymous: bool
    public: bool
    state: str
    state_label: str
    organisation: str
    acknowledge_due: date
    answer_due: date | None
    answer: str
    answered_on: date | None
    satisfied: bool | None
    rating_word: str
    supports: int
    events: list[EventOut]
    messages: list[MessageOut]
    photos: list[str] = Field(..., description="照片地址（需登录，仅提交人、处理人或公开时可见）")

    @staticmethod
    def resolve_category(obj: Item) -> str:
        return obj.category.name

    @staticmethod
    def resolve_organisation(obj: Item) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_state_label(obj: Item) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_events(obj: Item) -> list:
        return list(queries.history(obj))

    @staticmethod
    def resolve_messages(obj: Item) -> list:
        return list(queries.thread(obj))

    @staticmethod
    def resolve_photos(obj: Item) -> list[str]:
        return [reverse("voice:photo", args=[p.pk]) for p in obj.photos.all()]


#: The kinds of item (the schema lists them: anything else is a 422 before the service).
KindIn = Literal[tuple(Kind.values)]  # type: ignore[valid-type]
KIND_HELP = "suggestion 建议 / concern 反映问题 / help 求助 / question 咨询"
#: Text the services accept: something besides spaces, within the length the page allows.
TEXT = {"min_length": 1, "max_length": TEXT_MAX, "pattern": r"\S"}
#: The refusals every write here may answer besides a malformed request (422): what the data refuses (409: the
#: category was switched off, the item is not answered yet, already rated, a picture that is not one …) and the
#: filing limit (429), each with the reason in ``detail``.
REFUSED = (
    "按现有数据或规定不能办理时答复 409（类别已停用、尚未答复不能评价、已评价、照片无法识别等），"
    "提交太频繁时答复 429；detail 写明原因。"
)


class ItemIn(BodyIn):
    kind: KindIn = Field(..., description=KIND_HELP)
    category_id: int = Field(..., ge=1, le=2**62, description="类别（见“反映类别”）；不存在的类别答复 404")
    text: str = Field(..., **TEXT)
    place: str = Field("", max_length=PLACE_MAX)
    anonymous: bool = True
    public: bool = False


class ReplyIn(BodyIn):
    text: str = Field(..., **TEXT)


class RateIn(BodyIn):
    satisfied: bool
    word: str = Field("", max_length=WORD_MAX)


def _own(request: HttpRequest, item_id: int) -> Item:
    found = queries.own_item(request.user, item_id)
    if found is None:
        raise HttpError(404, _("没有这条反映。"))
    return found


@router.get("/categories", response=responses(list[CategoryOut]), summary="反映类别")
def categories(request: HttpRequest) -> QuerySet[Category]:
    return queries.categories()


def _category(category_id: int) -> Category:
    found = queries.category(category_id)
    if found is None:
        raise HttpError(404, _("没有这个类别，请从“反映类别”中选择。"))
    return found


@router.post(
    "/items", response={**responses(ItemOut, status=201), **DATA_REFUSALS}, summary="提交反映", description=REFUSED
)
def file(request: HttpRequest, payload: ItemIn) -> Created[Item]:
    category = _category(payload.category_id)
    with refused_by_data():
        item = services.file_item(
            request.user,
            kind=payload.kind,
            category=category,
            text=payload.text,
            place=payload.place,
            anonymous=payload.anonymous,
            public=payload.public,
        )
    return Created(201, item)


@router.post(
    "/items/with-photos",
    response={**responses(ItemOut, status=201), **DATA_REFUSALS},
    summary="提交反映（附照片，multipart/form-data）",
    description="字段同“提交反映”，另加 photos（最多 4 张，JPEG/PNG/WebP/GIF/BMP，每张不超过 10 MB；"
    "检查类型与像素、缩放并去除位置等元数据，与页面相同）。" + REFUSED,
)
def file_with_photos(
    request: HttpRequest,
    kind: KindIn = Form(..., description=KIND_HELP),  # noqa: B008 - ninja declares parameters this way
    category_id: int = Form(..., ge=1, le=2**62),  # noqa: B008
    text: str = Form(..., **TEXT),  # noqa: B008
    place: str = Form("", max_length=PLACE_MAX),  # noqa: B008
    anonymous: Form[bool] = True,
    public: Form[bool] = False,
    photos: list[UploadedFile] = File(default=[]),  # noqa: B006, B008 - ninja declares files this way
) -> Created[Item]:
    category = _category(category_id)
    with refused_by_data():
        item = services.file_item(
            request.user,
            kind=kind,
            category=category,
            text=text,
            place=place,
            anonymous=anonymous,
            public=public,
            photos=photos,
        )
    return Created(201, item)


@router.get("/items", response=responses(list[ItemOut]), summary="我的反映")
@paginate(Pages, page_size=20)
def mine(request: HttpRequest) -> QuerySet[Item]:
    return queries.own_items(request.user).prefetch_related("photos")


@router.get("/items/{item_id}", response=responses(ItemOut), summary="我的一条反映（含办理过程）")
def one(request: HttpRequest, item_id: Id) -> Item:
    return _own(request, item_id)


@router.post(
    "/items/{item_id}/reply",
    response={**responses(ItemOut), **DATA_REFUSALS},
    summary="回复处理人的提问",
    description=REFUSED,
)
def reply(request: HttpRequest, item_id: Id, payload: ReplyIn) -> Item:
    item = _own(request, item_id)
    with refused_by_data():
        services.reply(request.user, item, payload.text)
    return _own(request, item_id)


@router.post(
    "/items/{item_id}/rate", response={**responses(ItemOut), **DATA_REFUSALS}, summary="评价答复", description=REFUSED
)
def rate(request: HttpRequest, item_id: Id, payload: RateIn) -> Item:
    item = _own(request, item_id)
    with refused_by_data():
        return services.rate(request.user, item, payload.satisfied, payload.word)

"""Request and response bodies of the registry API (table rows are not API models)."""

from datetime import date, datetime
from typing import Annotated, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

Kind = Literal["education", "employer", "research", "private", "government"]
MemberRole = Literal["coordinator", "education", "employer", "research", "private_partner"]
ClusterStatus = Literal["active", "suspended", "closed"]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
RegionCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")]
Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Patch(Body):
    """A partial update: absent fields stay; null only where a field may be empty."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name not in cls.nullable:
            raise ValueError("may not be null; leave the field out to keep it")
        return value


class RegionPublic(BaseModel):
    code: str
    country: str
    name: str = Field(description="English name")
    name_uz: str
    name_ru: str
    name_en: str


class RegionUpsert(Body):
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    name_uz: Name
    name_ru: Name
    name_en: Name


class OrganizationCreate(Body):
    kind: Kind
    subtype: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    name: Name
    region_code: RegionCode
    tax_id: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    contact_email: EmailStr | None = None
    contact_phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()-]{5,30}$")] | None = None


class OrganizationUpdate(Patch):
    nullable = frozenset({"contact_email", "contact_phone"})

    subtype: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    name: Name | None = None
    contact_email: EmailStr | None = None
    contact_phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()-]{5,30}$")] | None = None
    active: bool | None = None


class OrganizationPublic(BaseModel):
    id: str
    kind: Kind
    subtype: str
    name: str
    region_code: str
    tax_id: str
    contact_email: str | None
    contact_phone: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


class ClusterCreate(Body):
    name: Name
    region_code: RegionCode
    sectors: list[Annotated[str, StringConstraints(pattern=r"^[A-U]$")]] = Field(max_length=21)
    coordinator_id: Id


class ClusterUpdate(Patch):
    name: Name | None = None
    sectors: list[Annotated[str, StringConstraints(pattern=r"^[A-U]$")]] | None = None
    coordinator_id: Id | None = None
    status: ClusterStatus | None = None


class ClusterPublic(BaseModel):
    id: str
    name: str
    region_code: str
    sectors: list[str]
    coordinator_id: str
    status: ClusterStatus
    created_at: datetime
    updated_at: datetime


class MemberJoin(Body):
    organization_id: Id
    role: MemberRole
    joined_on: date | None = None


class MemberPublic(BaseModel):
    organization_id: str
    role: MemberRole
    joined_on: date
    left_on: date | None


class ProgramCreate(Body):
    institution_id: Id
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9.\-/]{1,40}$")]
    name: Name
    level: Annotated[str, StringConstraints(pattern=r"^[0-8]$")]
    field_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] = "uz"


class ProgramUpdate(Patch):
    name: Name | None = None
    level: Annotated[str, StringConstraints(pattern=r"^[0-8]$")] | None = None
    field_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")] | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] | None = None
    active: bool | None = None


class ProgramPublic(BaseModel):
    id: str
    institution_id: str
    code: str
    name: str
    level: str
    field_code: str
    language: str
    active: bool
    created_at: datetime
    updated_at: datetime

//! Third-party institutions and experts: the bureau's registers of 中介机构 and 专家 (an expert
//! is also a user account), the assignments of forms to experts with their period, the
//! declaration of (no) conflict of interest, the expert's opinion and scores, and every view an
//! expert makes, each logged in the hash chain.

use serde::Serialize;
use serde_json::json;

use crate::log::{self, Author};
use crate::users::{NewUser, insert_user};
use crate::{Store, StoreError};

/// A 中介机构 as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct InstitutionRow {
    /// Id.
    pub id: i64,
    /// The bureau that keeps it.
    pub org_id: i64,
    /// Its name.
    pub name: String,
    /// 性质 (会计师事务所, 咨询机构, …).
    pub nature: String,
    /// 信用等级.
    pub credit_rating: String,
    /// 联系人及电话.
    pub contact: String,
    /// Who registered it.
    pub created_by: String,
    /// When (Unix ms).
    pub created_at: i64,
}

/// An institution to register.
#[derive(Debug, Clone)]
pub struct NewInstitution<'a> {
    /// The bureau.
    pub org_id: i64,
    /// Name.
    pub name: &'a str,
    /// 性质.
    pub nature: &'a str,
    /// 信用等级.
    pub credit_rating: &'a str,
    /// 联系人及电话.
    pub contact: &'a str,
}

/// An expert as stored, with their account's names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ExpertRow {
    /// Id.
    pub id: i64,
    /// The bureau whose register it is.
    pub org_id: i64,
    /// Their account.
    pub user_id: i64,
    /// The account's login name.
    pub username: String,
    /// The account's display name.
    pub display_name: String,
    /// 专业领域.
    pub field: String,
    /// 职称.
    pub title: String,
    /// 评价等级.
    pub rating: String,
    /// Their institution, if any.
    pub institution_id: Option<i64>,
}

/// An expert to register, with their account.
#[derive(Debug, Clone)]
pub struct NewExpert<'a> {
    /// The account (role `expert`, in the bureau's organisation).
    pub user: NewUser<'a>,
    /// 专业领域.
    pub field: &'a str,
    /// 职称.
    pub title: &'a str,
    /// 评价等级.
    pub rating: &'a str,
    /// Their institution.
    pub institution_id: Option<i64>,
}

/// An assignment as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AssignmentRow {
    /// Id.
    pub id: i64,
    /// The form.
    pub form_id: i64,
    /// The expert.
    pub expert_id: i64,
    /// First day (`YYYY-MM-DD`).
    pub starts: String,
    /// Last day (`YYYY-MM-DD`).
    pub ends: String,
    /// `assigned`, `declared`, `recused` or `scored`.
    pub status: String,
    /// The declaration as made.
    pub declaration: Option<String>,
    /// When (Unix ms).
    pub declared_at: Option<i64>,
    /// The expert's opinion.
    pub opinion: Option<String>,
    /// The expert's scores (a spot check review's JSON), on a self-evaluation.
    pub review: Option<String>,
    /// The total they give.
    pub reviewed_total: Option<String>,
    /// Who assigned it.
    pub created_by: String,
    /// When (Unix ms).
    pub created_at: i64,
}

const INSTITUTION: &str =
    "id, org_id, name, nature, credit_rating, contact, created_by, created_at";
const EXPERT: &str = "e.id, e.org_id, e.user_id, u.username, u.display_name, e.field, e.title, \
                      e.rating, e.institution_id";
const ASSIGNMENT: &str = "id, form_id, expert_id, starts, ends, status, declaration, declared_at, \
                          opinion, review, reviewed_total, created_by, created_at";

/// `id IN (…)` for integer ids (formatting integers cannot inject anything).
fn in_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Registers an institution; returns its id (a name the bureau already has is a duplicate).
    pub async fn create_institution(
        &self,
        i: &NewInstitution<'_>,
        by: &Author,
    ) -> Result<i64, StoreError> {
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO institutions (org_id, name, nature, credit_rating, contact, created_by, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(i.org_id)
        .bind(i.name)
        .bind(i.nature)
        .bind(i.credit_rating)
        .bind(i.contact)
        .bind(&by.username)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from_insert)?;
        let detail = json!({"name": i.name, "nature": i.nature, "credit_rating": i.credit_rating});
        log::append(&mut tx, now, by, "institution", id, "create", &detail).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The institutions of some bureaus, by name.
    pub async fn institutions(&self, org_ids: &[i64]) -> Result<Vec<InstitutionRow>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(sqlx::query_as(&format!(
            "SELECT {INSTITUTION} FROM institutions WHERE org_id IN ({}) ORDER BY name",
            in_list(org_ids)
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Registers an expert and creates their account, in one transaction; returns the
    /// expert's id.
    pub async fn create_expert(&self, e: &NewExpert<'_>, by: &Author) -> Result<i64, StoreError> {
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let user_id = insert_user(&mut tx, now, &e.user, e.user.org_id, by).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO experts (org_id, user_id, field, title, rating, institution_id, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(e.user.org_id)
        .bind(user_id)
        .bind(e.field)
        .bind(e.title)
        .bind(e.rating)
        .bind(e.institution_id)
        .bind(&by.username)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let detail = json!({
            "user_id": user_id,
            "field": e.field,
            "title": e.title,
            "rating": e.rating,
            "institution_id": e.institution_id,
        });
        log::append(&mut tx, now, by, "expert", id, "create", &detail).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The experts of some bureaus, by display name.
    pub async fn experts(&self, org_ids: &[i64]) -> Result<Vec<ExpertRow>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(sqlx::query_as(&format!(
            "SELECT {EXPERT} FROM experts e JOIN users u ON u.id = e.user_id \
             WHERE e.org_id IN ({}) ORDER BY u.display_name, e.id",
            in_list(org_ids)
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// The expert whose account is `user_id`, if they are one.
    pub async fn expert_of_user(&self, user_id: i64) -> Result<Option<ExpertRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {EXPERT} FROM experts e JOIN users u ON u.id = e.user_id WHERE e.user_id = $1"
        ))
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// One expert.
    pub async fn expert(&self, id: i64) -> Result<ExpertRow, StoreError> {
        sqlx::query_as(&format!(
            "SELECT {EXPERT} FROM experts e JOIN users u ON u.id = e.user_id WHERE e.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("专家 {id}")))
    }

    /// Assigns form `form_id` to expert `expert_id` from `starts` to `ends`; returns the id.
    pub async fn assign(
        &self,
        form_id: i64,
        expert_id: i64,
        (starts, ends): (&str, &str),
        by: &Author,
    ) -> Result<i64, StoreError> {
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO assignments (form_id, expert_id, starts, ends, status, created_by, \
             created_at) VALUES ($1, $2, $3, $4, 'assigned', $5, $6) RETURNING id",
        )
        .bind(form_id)
        .bind(expert_id)
        .bind(starts)
        .bind(ends)
        .bind(&by.username)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let detail = json!({"form": form_id, "expert": expert_id, "starts": starts, "ends": ends});
        log::append(&mut tx, now, by, "assignment", id, "assign", &detail).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One assignment.
    pub async fn assignment(&self, id: i64) -> Result<AssignmentRow, StoreError> {
        sqlx::query_as(&format!(
            "SELECT {ASSIGNMENT} FROM assignments WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("评审任务 {id}")))
    }

    /// The assignments of a form, oldest first.
    pub async fn assignments_of_form(
        &self,
        form_id: i64,
    ) -> Result<Vec<AssignmentRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {ASSIGNMENT} FROM assignments WHERE form_id = $1 ORDER BY id"
        ))
        .bind(form_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The assignments of an expert, newest first.
    pub async fn assignments_of_expert(
        &self,
        expert_id: i64,
    ) -> Result<Vec<AssignmentRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {ASSIGNMENT} FROM assignments WHERE expert_id = $1 ORDER BY id DESC"
        ))
        .bind(expert_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// How many forms each institution's experts were assigned: (institution id, count).
    pub async fn institution_assignments(&self) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT e.institution_id, COUNT(*) FROM assignments a JOIN experts e ON e.id = \
             a.expert_id WHERE e.institution_id IS NOT NULL GROUP BY e.institution_id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// The expert's declaration on an assignment not yet declared: no conflict (`declared`) or
    /// a conflict (`recused`), in the words they gave.
    pub async fn declare(
        &self,
        id: i64,
        no_conflict: bool,
        words: &str,
        by: &Author,
    ) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        let status = if no_conflict { "declared" } else { "recused" };
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let n = sqlx::query(
            "UPDATE assignments SET status = $1, declaration = $2, declared_at = $3 \
             WHERE id = $4 AND status = 'assigned'",
        )
        .bind(status)
        .bind(words)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("待声明的评审任务 {id}")));
        }
        let detail = json!({"no_conflict": no_conflict, "declaration": words});
        log::append(&mut tx, now, by, "assignment", id, status, &detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Keeps the expert's opinion and scores on a declared assignment.
    pub async fn score_assignment(
        &self,
        id: i64,
        opinion: &str,
        review: Option<(&str, &str)>,
        by: &Author,
    ) -> Result<(), StoreError> {
        if let Some((json_text, _)) = review {
            StoreError::json("专家评分", json_text)?;
        }
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let n = sqlx::query(
            "UPDATE assignments SET status = 'scored', opinion = $1, review = $2, \
             reviewed_total = $3 WHERE id = $4 AND status IN ('declared', 'scored')",
        )
        .bind(opinion)
        .bind(review.map(|r| r.0))
        .bind(review.map(|r| r.1))
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("已声明的评审任务 {id}")));
        }
        let detail = json!({"opinion": opinion, "total": review.map(|r| r.1)});
        log::append(&mut tx, now, by, "assignment", id, "score", &detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Logs that an expert looked at form `form_id` under assignment `assignment` (`what`:
    /// the form, its history, an evidence file, an export).
    pub async fn log_expert_view(
        &self,
        form_id: i64,
        assignment: i64,
        what: &str,
        by: &Author,
    ) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let detail = json!({"assignment": assignment, "what": what});
        log::append(&mut tx, now, by, "form", form_id, "expert_view", &detail).await?;
        tx.commit().await?;
        Ok(())
    }
}

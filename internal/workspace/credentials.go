package workspace

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Credentials are what setup caches between runs: the registered client and
// the last access token. They are secrets: the cache file is 0600 and its
// content is encrypted with a key derived from the user's password, so a
// copied workspace reveals nothing and a changed password simply misses.
type Credentials struct {
	ServerURL    string    `json:"serverUrl"`
	Username     string    `json:"username"`
	ClientID     string    `json:"clientId"`
	ClientSecret string    `json:"clientSecret"`
	AccessToken  string    `json:"accessToken,omitempty"`
	Scope        string    `json:"scope,omitempty"`
	ExpiresAt    time.Time `json:"expiresAt,omitempty"`
}

// TokenValid reports whether the cached token can still be used at now,
// keeping a minute of margin.
func (c *Credentials) TokenValid(now time.Time) bool {
	return c.AccessToken != "" && now.Add(time.Minute).Before(c.ExpiresAt)
}

// credentialFile is the on-disk envelope.
type credentialFile struct {
	Salt  []byte `json:"salt"`
	Nonce []byte `json:"nonce"`
	Data  []byte `json:"data"`
}

const kdfIterations = 200_000

func (w *Workspace) credentialsPath() string {
	return filepath.Join(w.Dir, StateDir, "credentials.json")
}

func credentialKey(password string, salt []byte) ([]byte, error) {
	return pbkdf2.Key(sha256.New, password, salt, kdfIterations, 32)
}

// LoadCredentials returns the cached credentials for server and user, or nil
// when there are none, they belong to another server or user, or password
// does not decrypt them.
func (w *Workspace) LoadCredentials(serverURL, username, password string) *Credentials {
	raw, err := os.ReadFile(w.credentialsPath())
	if err != nil {
		return nil
	}
	var f credentialFile
	if json.Unmarshal(raw, &f) != nil {
		return nil
	}
	key, err := credentialKey(password, f.Salt)
	if err != nil {
		return nil
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil || len(f.Nonce) != gcm.NonceSize() {
		return nil
	}
	plain, err := gcm.Open(nil, f.Nonce, f.Data, []byte(serverURL+"\x00"+username))
	if err != nil {
		return nil
	}
	var c Credentials
	if json.Unmarshal(plain, &c) != nil || c.ServerURL != serverURL || c.Username != username {
		return nil
	}
	return &c
}

// SaveCredentials encrypts c with a key derived from password and writes it
// with mode 0600.
func (w *Workspace) SaveCredentials(c *Credentials, password string) error {
	plain, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode credentials: %w", err)
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return fmt.Errorf("encrypt credentials: %w", err)
	}
	key, err := credentialKey(password, salt)
	if err != nil {
		return fmt.Errorf("encrypt credentials: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return fmt.Errorf("encrypt credentials: %w", err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return fmt.Errorf("encrypt credentials: %w", err)
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return fmt.Errorf("encrypt credentials: %w", err)
	}
	f := credentialFile{Salt: salt, Nonce: nonce, Data: gcm.Seal(nil, nonce, plain, []byte(c.ServerURL+"\x00"+c.Username))}
	data, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode credentials: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(w.credentialsPath()), 0o700); err != nil {
		return fmt.Errorf("create %s: %w", StateDir, err)
	}
	return WriteFileAtomic(w.credentialsPath(), data, 0o600)
}

// ForgetCredentials removes the credential cache.
func (w *Workspace) ForgetCredentials() error {
	err := os.Remove(w.credentialsPath())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove cached credentials: %w", err)
	}
	return nil
}
